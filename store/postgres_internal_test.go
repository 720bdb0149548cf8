package store

import "testing"

// Every PostgreSQL connection plans each statement for its values, in
// whichever form its DSN is written, unless the DSN chooses otherwise.
func TestCustomPlans(t *testing.T) {
	for _, tt := range []struct{ dsn, want string }{
		{"postgres://u@127.0.0.1:5432/db", "postgres://u@127.0.0.1:5432/db?plan_cache_mode=force_custom_plan"},
		{"postgres://u@127.0.0.1:5432/db?sslmode=disable", "postgres://u@127.0.0.1:5432/db?sslmode=disable&plan_cache_mode=force_custom_plan"},
		{"host=127.0.0.1 dbname=db", "host=127.0.0.1 dbname=db plan_cache_mode=force_custom_plan"},
		{"postgres://u@h/db?plan_cache_mode=auto", "postgres://u@h/db?plan_cache_mode=auto"},
	} {
		if got := customPlans(tt.dsn); got != tt.want {
			t.Errorf("customPlans(%q) = %q, want %q", tt.dsn, got, tt.want)
		}
	}
}
