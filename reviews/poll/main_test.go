package poll_test

import (
	"testing"

	"factdesk/store/storetest"
)

// TestMain runs the poll's tests on SQLite and, when FACTDESK_TEST_POSTGRES
// names a server, on PostgreSQL too.
func TestMain(m *testing.M) { storetest.Main(m) }
