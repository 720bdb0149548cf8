package jobs_test

import (
	"testing"

	"factdesk/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }
