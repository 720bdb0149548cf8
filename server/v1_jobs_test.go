package server_test

import (
	"fmt"
	"testing"

	"factdesk/jobs"
	"factdesk/server/servertest"
)

func TestGetJob(t *testing.T) {
	env := servertest.New(t)
	j, err := env.Jobs.Enqueue(t.Context(), roleJob{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ed := env.Login(servertest.EditorEmail)
	tests := []struct {
		name   string
		path   string
		status int
		code   string
	}{
		{"OK", fmt.Sprintf("/api/v1/jobs/%d", j.ID), 200, ""},
		{"ErrUnknown", "/api/v1/jobs/999999", 404, "not_found"},
		{"ErrMalformed", "/api/v1/jobs/abc", 400, "invalid"},
		{"ErrZero", "/api/v1/jobs/0", 400, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ed.Do("GET", tt.path, nil)
			if r.Status != tt.status || r.ErrorCode() != tt.code {
				t.Fatalf("GET %s = %d %s, want %d %q", tt.path, r.Status, r.Body, tt.status, tt.code)
			}
			if tt.status != 200 {
				return
			}
			var got jobs.Job
			r.Decode(t, &got)
			if got.ID != j.ID || got.Kind != "role_test" || got.State != jobs.Queued || string(got.Result) != "{}" {
				t.Errorf("job = %+v, want job %d role_test queued with no result", got, j.ID)
			}
		})
	}
}
