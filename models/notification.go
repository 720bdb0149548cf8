package models

import (
	"net/url"
	"time"
)

// Event is what a notification tells its user.
type Event string

const (
	EventAssigned     Event = "assigned"      // a claim was assigned to you
	EventMentioned    Event = "mentioned"     // someone @-mentioned you in a comment
	EventSentBack     Event = "sent_back"     // a claim you submitted was sent back
	EventReviewWanted Event = "review_wanted" // a claim you did not write waits for review
	EventReaderReport Event = "reader_report" // a reader reported an error on your verdict
)

// Events lists the events in the order the account page shows them.
var Events = []Event{EventAssigned, EventMentioned, EventSentBack, EventReviewWanted, EventReaderReport}

var eventLabels = map[Event]string{
	EventAssigned:     "A claim is assigned to me",
	EventMentioned:    "Someone mentions me in a comment",
	EventSentBack:     "A claim I submitted is sent back",
	EventReviewWanted: "A claim waits for my review",
	EventReaderReport: "A reader reports an error on my verdict",
}

// Valid reports whether e is a known event.
func (e Event) Valid() bool { _, ok := eventLabels[e]; return ok }

// Label is the sentence the account page shows.
func (e Event) Label() string { return eventLabels[e] }

// Channel is how a notification reaches its user.
type Channel string

const (
	ChannelDesk    Channel = "desk"    // the list in the desk, with the unread count
	ChannelEmail   Channel = "email"   // an email through --smtp-url
	ChannelWebhook Channel = "webhook" // a signed POST to every webhook an admin set up
)

// Channels lists the channels in the order the account page shows them.
var Channels = []Channel{ChannelDesk, ChannelEmail, ChannelWebhook}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return c == ChannelDesk || c == ChannelEmail || c == ChannelWebhook }

// DefaultPreference is whether a user who never chose gets e by c: every
// event in the desk and by email, webhooks only for those who turn them on
// (a webhook goes to a system the whole desk shares).
func DefaultPreference(e Event, c Channel) bool { return c != ChannelWebhook }

// Notification is one event for one user. ClaimID names the claim it is
// about, ActorID who caused it (nil for the system or a reader).
type Notification struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	Event     Event      `json:"event"`
	ClaimID   *int64     `json:"claim_id"`
	ActorID   *int64     `json:"actor_id"`
	Summary   string     `json:"summary"`
	ReadAt    *time.Time `json:"read_at"`
	CreatedAt time.Time  `json:"created_at"`
	// Desk is false when the user turned this event off in the desk: the
	// row is kept for its email and webhook deliveries, never listed.
	Desk bool `json:"-"`
}

// Preference is one user's choice for one event on one channel.
type Preference struct {
	UserID  int64   `json:"-" gorm:"primaryKey"`
	Event   Event   `json:"event" gorm:"primaryKey"`
	Channel Channel `json:"channel" gorm:"primaryKey"`
	Enabled bool    `json:"enabled"`
}

// TableName keeps gorm off "preferences".
func (Preference) TableName() string { return "notification_prefs" }

// Preferences is a user's whole choice, event by channel.
type Preferences map[Event]map[Channel]bool

// Wants reports whether p asks for e by c, the default where p is silent.
func (p Preferences) Wants(e Event, c Channel) bool {
	if v, ok := p[e][c]; ok {
		return v
	}
	return DefaultPreference(e, c)
}

// ReviewersOf says who is told that a claim waits for review: its reviewer
// when one is set, else every active editor and admin but the submitter.
// users is every user; the result holds IDs.
func ReviewersOf(c *Claim, users []User) []int64 {
	if c.ReviewerID != nil && (c.SubmitterID == nil || *c.ReviewerID != *c.SubmitterID) {
		return []int64{*c.ReviewerID}
	}
	var out []int64
	for _, u := range users {
		if u.Disabled || (c.SubmitterID != nil && u.ID == *c.SubmitterID) {
			continue
		}
		out = append(out, u.ID)
	}
	return out
}

// CheckWebhookURL accepts an http or https URL with a host.
func CheckWebhookURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &Error{Code: EINVALID, Message: "the webhook's URL is not an http or https URL",
			Fields: map[string]string{"url": "must be an http:// or https:// URL"}}
	}
	return nil
}
