package server_test

import (
	"testing"

	"factdesk/store/storetest"
)

// TestMain runs the API's tests on SQLite and, when FACTDESK_TEST_POSTGRES
// is set, on PostgreSQL too.
func TestMain(m *testing.M) { storetest.Main(m) }
