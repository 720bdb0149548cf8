package models

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// Role says what a user may do.
type Role string

const (
	RoleEditor Role = "editor"
	RoleAdmin  Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleEditor || r == RoleAdmin }

// User is an editor or an admin. PasswordHash is a bcrypt hash and never
// leaves the server.
type User struct {
	ID           int64     `json:"id"`
	Email        string    `json:"email"`
	Name         string    `json:"name"`
	Role         Role      `json:"role"`
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// IsAdmin reports whether u may manage users and override the workflow.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin && !u.Disabled }

// Normalize trims the name and lower-cases the email, so one address is one account.
func (u *User) Normalize() {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Name = strings.TrimSpace(u.Name)
}

// Validate checks the user's own fields; the password is checked apart.
func (u *User) Validate() error {
	f := FieldErrors{}
	if addr, err := mail.ParseAddress(u.Email); err != nil || addr.Address != u.Email {
		f.Add("email", "must be an email address such as name@example.org")
	}
	if u.Name == "" {
		f.Add("name", "is required")
	} else if utf8.RuneCountInString(u.Name) > 200 {
		f.Add("name", "must be at most 200 characters")
	}
	if !u.Role.Valid() {
		f.Add("role", `must be "editor" or "admin"`)
	}
	return f.Err()
}

// Session is a signed-in browser. Only the hash of its token is stored.
type Session struct {
	ID        int64
	UserID    int64
	TokenHash string
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
	LastSeen  time.Time
}

// APIToken lets an integration act as its user. Only the hash is stored.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	TokenHash  string     `json:"-"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at"`
}
