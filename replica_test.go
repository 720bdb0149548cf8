package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

// Two `factdesk serve` processes on one PostgreSQL database: a session made
// on one works on the other, and 2 × 200 concurrent edits of one claim based
// on the version each read, sent through both, lose no update: every edit
// either wins (and is in the revisions) or gets a 409.
func TestTwoReplicasShareOneDatabase(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	// The editor exists before the replicas start; no first admin is made.
	setup := storetest.OpenDSN(t, dsn)
	storetest.User(t, setup, "ed@example.org", models.RoleEditor)
	storetest.User(t, setup, "rev@example.org", models.RoleEditor)

	env := []string{"FACTDESK_DB_MAX_OPEN=20", "FACTDESK_DB_MAX_IDLE=20"}
	addrA, _, stopA := startServe(t, dsn, env...)
	defer stopA()
	addrB, _, stopB := startServe(t, dsn, env...)
	defer stopB()
	a, b := "http://"+addrA, "http://"+addrB

	ed := sessionClient(t)
	var login struct {
		CSRFToken string `json:"csrf_token"`
	}
	if code := ed.do("POST", a, "/api/v1/auth/login", map[string]string{"email": "ed@example.org", "password": storetest.Password}, &login); code != http.StatusOK || login.CSRFToken == "" {
		t.Fatalf("sign in through replica A: %d %+v", code, login)
	}
	ed.csrf = login.CSRFToken
	var me struct {
		User models.User `json:"user"`
	}
	if code := ed.do("GET", b, "/api/v1/me", nil, &me); code != http.StatusOK || me.User.Email != "ed@example.org" {
		t.Fatalf("the session from A is unknown to B: %d %+v", code, me)
	}
	var claim models.Claim
	if code := ed.do("POST", b, "/api/v1/claims", map[string]any{"text": "Exports to China fell by 12 percent in 2024.", "kind": "statistic"}, &claim); code != http.StatusCreated || claim.ID == 0 {
		t.Fatalf("create a claim through B: %d %+v", code, claim)
	}

	const perReplica = 200
	type result struct {
		replica string
		base    int // the version the edit was based on
		status  int
		version int // the version after a successful edit
	}
	results := make(chan result, 2*perReplica)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, base := range []string{a, b} {
		for i := 0; i < perReplica; i++ {
			wg.Add(1)
			go func(base string, i int) {
				defer wg.Done()
				<-start // all at once: reads and writes of both replicas interleave
				var cur models.Claim
				if code := ed.do("GET", base, fmt.Sprintf("/api/v1/claims/%d", claim.ID), nil, &cur); code != http.StatusOK {
					t.Errorf("read the claim: %d", code)
					return
				}
				var after models.Claim
				var code int
				claimant := fmt.Sprintf("editor %s/%d", base, i)
				code = ed.do("PATCH", base, fmt.Sprintf("/api/v1/claims/%d", claim.ID),
					map[string]any{"version": cur.Version, "claimant": claimant, "summary": "claimant " + claimant}, &after)
				results <- result{replica: base, base: cur.Version, status: code, version: after.Version}
			}(base, i)
		}
	}
	began := time.Now()
	close(start)
	wg.Wait()
	elapsed := time.Since(began)
	close(results)

	wins, conflicts := map[string]int{}, map[string]int{}
	winners := map[int]bool{} // the versions the winning edits were based on
	for r := range results {
		switch r.status {
		case http.StatusOK:
			wins[r.replica]++
			if winners[r.base] {
				t.Errorf("two edits based on version %d both won: one overwrote the other", r.base)
			}
			winners[r.base] = true
			// The answer is the claim as it stands after the edit: version
			// base+1, or later when another edit landed in between.
			if r.version <= r.base {
				t.Errorf("an edit of version %d answered version %d", r.base, r.version)
			}
		case http.StatusConflict:
			conflicts[r.replica]++
		default:
			t.Errorf("an edit through %s got %d, want 200 or 409", r.replica, r.status)
		}
	}
	total := wins[a] + wins[b]
	if total+conflicts[a]+conflicts[b] != 2*perReplica || total == 0 {
		t.Fatalf("%d wins and %d conflicts for %d edits", total, conflicts[a]+conflicts[b], 2*perReplica)
	}
	final, err := setup.GetClaim(ctx, claim.ID)
	if err != nil {
		t.Fatal(err)
	}
	if final.Version != 1+total {
		t.Errorf("final version %d after %d successful edits, want %d: an update was lost", final.Version, total, 1+total)
	}
	revs, err := setup.ListRevisions(ctx, store.RevisionFilter{ClaimID: claim.ID})
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 1+total {
		t.Errorf("%d revisions for 1 creation and %d edits", len(revs), total)
	}
	if !strings.HasPrefix(final.Claimant, "editor ") || revs[0].Summary != "claimant "+final.Claimant {
		t.Errorf("the last revision (%q) is not the claim as it stands (%q)", revs[0].Summary, final.Claimant)
	}
	t.Logf("2 × %d concurrent edits in %v: %d won (A %d, B %d), %d refused with 409 (A %d, B %d)",
		perReplica, elapsed.Round(time.Millisecond), total, wins[a], wins[b], conflicts[a]+conflicts[b], conflicts[a], conflicts[b])

	// A verdict published and then corrected through one replica shows on
	// the other at once: no replica serves a page from before the edit.
	rev := sessionClient(t)
	if code := rev.do("POST", b, "/api/v1/auth/login", map[string]string{"email": "rev@example.org", "password": storetest.Password}, &login); code != http.StatusOK {
		t.Fatalf("second editor signs in through B: %d", code)
	}
	rev.csrf = login.CSRFToken
	transitions := fmt.Sprintf("/api/v1/claims/%d/transitions", claim.ID)
	versionOf := func(id int64) int {
		var cur struct{ Version int }
		if code := ed.do("GET", a, fmt.Sprintf("/api/v1/claims/%d", id), nil, &cur); code != http.StatusOK {
			t.Fatalf("read claim %d: %d", id, code)
		}
		return cur.Version
	}
	for _, step := range []struct {
		who  *apiClient
		base string
		body map[string]any
	}{
		{ed, a, map[string]any{"action": "start"}},
		{ed, b, map[string]any{"action": "submit", "rating": "mixed", "explanation": "Customs and the ministry disagree."}},
		{rev, a, map[string]any{"action": "approve"}},
	} {
		step.body["version"] = versionOf(claim.ID)
		if code := step.who.do("POST", step.base, transitions, step.body, nil); code != http.StatusOK {
			t.Fatalf("%s: %d", step.body["action"], code)
		}
	}
	page := fmt.Sprintf("/claims/%d", claim.ID)
	for _, base := range []string{a, b} {
		if html := readerPage(t, strings.TrimPrefix(base, "http://"), page); !strings.Contains(html, "Half true") {
			t.Errorf("the verdict page from %s lacks the published rating", base)
		}
	}
	if code := rev.do("POST", b, transitions, map[string]any{"action": "correct", "note": "Customs revised its figure to 9 percent.", "rating": "mostly_false", "version": versionOf(claim.ID)}, nil); code != http.StatusOK {
		t.Fatalf("correct through B: %d", code)
	}
	// The correction waits for an editor who did not write it: the one
	// who submitted the verdict approves it, through A.
	if code := ed.do("POST", a, transitions, map[string]any{"action": "approve", "version": versionOf(claim.ID)}, nil); code != http.StatusOK {
		t.Fatalf("approve the correction through A: %d", code)
	}
	for _, base := range []string{a, b} {
		html := readerPage(t, strings.TrimPrefix(base, "http://"), page)
		if !strings.Contains(html, "Mostly false") || !strings.Contains(html, "Customs revised its figure to 9 percent.") {
			t.Errorf("the verdict page from %s does not show the correction made through B", base)
		}
	}

	// Signing out through B ends the session on A too, even for a client
	// that kept the cookie.
	u, _ := url.Parse(a)
	kept := ed.http.Jar.Cookies(u)
	if code := ed.do("POST", b, "/api/v1/auth/logout", nil, nil); code != http.StatusNoContent {
		t.Fatalf("sign out through B: %d", code)
	}
	thief := sessionClient(t)
	thief.http.Jar.SetCookies(u, kept)
	if code := thief.do("GET", a, "/api/v1/me", nil, nil); len(kept) == 0 || code != http.StatusUnauthorized {
		t.Errorf("after signing out through B, A answers /me with %d (cookies kept: %d)", code, len(kept))
	}
}
