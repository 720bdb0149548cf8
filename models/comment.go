package models

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// CommentEditWindow is how long a comment's author may still edit it.
const CommentEditWindow = 15 * time.Minute

// MaxCommentRunes bounds a comment's Markdown.
const MaxCommentRunes = 10000

// Comment is an editor's note on a claim, in Markdown. Comments are the
// desk's own conversation and never public.
type Comment struct {
	ID        int64     `json:"id"`
	ClaimID   int64     `json:"claim_id"`
	UserID    *int64    `json:"user_id"`
	Body      string    `json:"body"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the body.
func (c *Comment) Validate() error {
	f := FieldErrors{}
	c.Body = strings.TrimSpace(c.Body)
	if c.Body == "" {
		f.Add("body", "is required")
	} else if utf8.RuneCountInString(c.Body) > MaxCommentRunes {
		f.Add("body", "must be at most 10000 characters")
	}
	return f.Err()
}

// MayEdit says whether u may edit c at now: its author, within
// CommentEditWindow of writing it.
func (c *Comment) MayEdit(u *User, now time.Time) error {
	if u == nil || c.UserID == nil || *c.UserID != u.ID {
		return Errorf(EFORBIDDEN, "only the author of a comment may edit it")
	}
	if now.Sub(c.CreatedAt) > CommentEditWindow {
		return Errorf(EFORBIDDEN, "a comment can be edited for %d minutes after it is written", int(CommentEditWindow/time.Minute))
	}
	return nil
}

// Handle is the name by which a user is mentioned: the part of their email
// before the @, lower-cased ("@sara" for sara.k@… is "@sara.k"). Emails are
// unique, so handles of one domain are too; display names are not.
func (u *User) Handle() string {
	local, _, _ := strings.Cut(u.Email, "@")
	return strings.ToLower(local)
}

var mentionPattern = regexp.MustCompile(`(?:^|[^\w.@])@([A-Za-z0-9._+-]*[A-Za-z0-9_+-])`)

// Mentions returns the active users among users whose handle body names
// as "@handle", each once, in the order of users. A handle is matched
// whole and case-insensitively; an email address in the text
// ("x@example.org") mentions nobody.
func Mentions(body string, users []User) []User {
	named := map[string]bool{}
	for _, m := range mentionPattern.FindAllStringSubmatch(body, -1) {
		named[strings.ToLower(m[1])] = true
	}
	var out []User
	for _, u := range users {
		if !u.Disabled && named[u.Handle()] {
			out = append(out, u)
		}
	}
	return out
}
