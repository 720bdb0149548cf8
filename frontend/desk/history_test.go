package desk

import (
	"testing"

	"factdesk/models"
)

func TestHistorySentence(t *testing.T) {
	tests := []struct {
		entry HistoryEntry
		want  string
	}{
		{HistoryEntry{Who: "Edna", Verb: "approve", Entity: "claim", Summary: "correction approved: Figure fixed.",
			Changes: []models.FieldChange{{Field: "rating", Before: "Mostly true", After: "Half true"}}},
			"Edna approved the correction: rating Mostly true → Half true."},
		{HistoryEntry{Who: "Ali", Verb: "submit", Entity: "claim", Changes: []models.FieldChange{{Field: "status", Before: "Researching", After: "In review"}}},
			"Ali submitted the verdict for review: status Researching → In review."},
		{HistoryEntry{Who: "Ali", Verb: "create", Entity: "evidence", Changes: []models.FieldChange{{Field: "stance", After: "refutes"}}},
			"Ali added evidence: stance refutes."},
		{HistoryEntry{Who: "Bo", Verb: "send_back", Entity: "claim", Correction: true}, "Bo dropped the proposed correction."},
		{HistoryEntry{Who: "Bo", Verb: "update", Entity: "claim", Changes: []models.FieldChange{{Field: "explanation", Before: "short", After: string(make([]byte, 100))}}},
			"Bo edited the claim."},
		{HistoryEntry{Who: "Cy", Verb: "create", Entity: "comment", Changes: []models.FieldChange{{Field: "user_id", After: "3"}}}, "Cy commented."},
		{HistoryEntry{Who: "Cy", Verb: "update", Entity: "comment"}, "Cy edited a comment."},
		{HistoryEntry{Who: "Di", Verb: "moderate", Entity: "report", Summary: "reader error report: accepted"}, "Di moderated a reader's report."},
	}
	for _, tt := range tests {
		if got := tt.entry.Sentence(); got != tt.want {
			t.Errorf("Sentence() = %q, want %q", got, tt.want)
		}
	}
}
