package desk

import (
	"strings"
	"unicode/utf8"
)

// What each recorded action did, said of its record, for the history.
var claimDeeds = map[string]string{
	"create":             "created the claim",
	"update":             "edited the claim",
	"reanchor":           "found the claim again in the edited document",
	"place":              "placed the claim in its document again",
	"accept":             "accepted the claim",
	"dismiss":            "dismissed the claim",
	"reopen":             "reopened the claim",
	"start":              "started research on the claim",
	"submit":             "submitted the verdict for review",
	"send_back":          "sent the claim back",
	"approve":            "approved and published the verdict",
	"propose_correction": "proposed a correction",
	"correct":            "corrected the verdict",
	"retract":            "retracted the verdict",
}

var evidenceDeeds = map[string]string{
	"create": "added evidence",
	"update": "edited evidence",
	"delete": "removed evidence",
}

// shortChange is the length, in code points, up to which a change is said
// in the sentence itself ("rating Mostly true → Half true"); longer ones are
// in the table under it.
const shortChange = 60

// Sentence is the entry as a person would write it: "Edna approved the
// correction: rating Mostly true → Half true".
func (h HistoryEntry) Sentence() string {
	deed := claimDeeds[h.Verb]
	switch h.Entity {
	case "evidence":
		deed = evidenceDeeds[h.Verb]
	case "comment":
		// The thread shows the words; the history says who and when.
		if h.Verb == "update" {
			return h.Who + " edited a comment."
		}
		return h.Who + " commented."
	case "report":
		return h.Who + " moderated a reader's report."
	}
	if h.Verb == "approve" && strings.HasPrefix(h.Summary, "correction approved") {
		deed = "approved the correction"
	}
	if h.Verb == "send_back" && h.Correction {
		deed = "dropped the proposed correction"
	}
	if deed == "" {
		deed = h.Action + " the " + h.Entity
	}
	var said []string
	for _, ch := range h.Changes {
		if utf8.RuneCountInString(ch.Before) > shortChange || utf8.RuneCountInString(ch.After) > shortChange || ch.Field == "published_at" {
			continue
		}
		label := strings.ToLower(fieldLabel(ch.Field))
		switch {
		case ch.Before == "":
			said = append(said, label+" "+ch.After)
		case ch.After == "":
			said = append(said, label+" "+ch.Before+" removed")
		default:
			said = append(said, label+" "+ch.Before+" → "+ch.After)
		}
	}
	s := h.Who + " " + deed
	if len(said) > 0 {
		s += ": " + strings.Join(said, "; ")
	}
	return s + "."
}
