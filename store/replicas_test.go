package store_test

import (
	"context"
	"sync"
	"testing"

	"factdesk/store"
	"factdesk/store/storetest"
)

// Replicas of a new release start at once on one database: each migrates
// on start, and the schema is built once, by one of them, while the others
// wait and find it done.
func TestReplicasMigrateAtOnce(t *testing.T) {
	dsn := storetest.DSN(t)
	const replicas = 4
	var wg sync.WaitGroup
	errs := make([]error, replicas)
	dbs := make([]*store.DB, replicas)
	for i := range replicas {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			dbs[i], errs[i] = store.Open(context.Background(), dsn, store.Options{})
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("replica %d: %v", i, err)
			continue
		}
		defer dbs[i].Close()
		if v, err := dbs[i].CurrentSchema(context.Background()); err != nil || v != store.SchemaVersion() {
			t.Errorf("replica %d sees schema %d (%v)", i, v, err)
		}
	}
}
