package store_test

import (
	"testing"

	"factdesk/models"
	"factdesk/store"
	"factdesk/store/storetest"
)

func TestAPITokens(t *testing.T) {
	db, ctx, ed := openDesk(t)
	other := storetest.User(t, db, "other@example.org", models.RoleEditor)
	adm := storetest.User(t, db, "admin@example.org", models.RoleAdmin)

	if _, _, err := db.CreateAPIToken(ctx, ed.ID, " "); models.ErrorCode(err) != models.EINVALID {
		t.Errorf("a token without a name: %v", err)
	}
	token, tk, err := db.CreateAPIToken(ctx, ed.ID, "CMS")
	if err != nil {
		t.Fatal(err)
	}
	if tk.TokenHash != store.HashToken(token) || tk.TokenHash == token {
		t.Errorf("token stored as %q", tk.TokenHash)
	}
	got, u, err := db.TokenUser(ctx, token)
	if err != nil || u.ID != ed.ID || got.LastUsedAt == nil {
		t.Fatalf("TokenUser = %+v, %+v, %v", got, u, err)
	}
	list, err := db.ListAPITokens(ctx, ed.ID)
	if err != nil || len(list) != 1 || list[0].Name != "CMS" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if _, err := db.RevokeAPIToken(ctx, tk.ID, other); models.ErrorCode(err) != models.ENOTFOUND {
		t.Errorf("another editor revoked the token: %v", err)
	}
	if _, err := db.RevokeAPIToken(ctx, tk.ID, ed); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.TokenUser(ctx, token); models.ErrorCode(err) != models.EUNAUTHORIZED {
		t.Errorf("a revoked token works: %v", err)
	}
	token2, tk2, _ := db.CreateAPIToken(ctx, ed.ID, "script")
	if _, err := db.RevokeAPIToken(ctx, tk2.ID, adm); err != nil {
		t.Errorf("an admin cannot revoke: %v", err)
	}
	if _, _, err := db.TokenUser(ctx, token2); models.ErrorCode(err) != models.EUNAUTHORIZED {
		t.Errorf("a token revoked by an admin works: %v", err)
	}
}
