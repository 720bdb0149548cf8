package models_test

import (
	"strings"
	"testing"

	"factdesk/models"
)

func TestReportValidate(t *testing.T) {
	claim := int64(7)
	cases := []struct {
		name   string
		r      models.Report
		fields []string // the fields at fault; none for a valid report
	}{
		{"error report", models.Report{Kind: models.ReportError, ClaimID: &claim, Body: "The year is wrong.", Link: "https://stats.example/x", Email: "a@example.net"}, nil},
		{"suggestion, no email", models.Report{Kind: models.ReportSuggestion, Body: "Check the 23,000 figure."}, nil},
		{"unknown kind", models.Report{Kind: "tip", Body: "Check the 23,000 figure."}, []string{"kind"}},
		{"error without claim", models.Report{Kind: models.ReportError, Body: "The year is wrong."}, []string{"claim_id"}},
		{"empty", models.Report{Kind: models.ReportSuggestion, Body: "  "}, []string{"body"}},
		{"too short", models.Report{Kind: models.ReportSuggestion, Body: "wrong"}, []string{"body"}},
		{"too long", models.Report{Kind: models.ReportSuggestion, Body: strings.Repeat("ï", 5001)}, []string{"body"}},
		{"non-ASCII at the limit", models.Report{Kind: models.ReportSuggestion, Body: strings.Repeat("ï", 5000)}, nil},
		{"script link", models.Report{Kind: models.ReportSuggestion, Body: "Check the 23,000 figure.", Link: "javascript:alert(1)"}, []string{"link"}},
		{"email with a name", models.Report{Kind: models.ReportSuggestion, Body: "Check the 23,000 figure.", Email: "Al <a@example.net>"}, []string{"email"}},
		{"email with a line break", models.Report{Kind: models.ReportSuggestion, Body: "Check the 23,000 figure.", Email: "a@example.net\r\nBcc: b@example.net"}, []string{"email"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			r.Normalize()
			err := r.Validate()
			got := models.ErrorFields(err)
			if len(tc.fields) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if models.ErrorCode(err) != models.EINVALID || len(got) != len(tc.fields) {
				t.Fatalf("got %v (%v), want fields %v", got, err, tc.fields)
			}
			for _, f := range tc.fields {
				if got[f] == "" {
					t.Errorf("no message for %s: %v", f, got)
				}
			}
		})
	}
}

func TestCheckModeration(t *testing.T) {
	cases := []struct {
		status models.ReportStatus
		m      models.ReportStatus
		code   string
	}{
		{models.ReportNew, models.ReportSpam, ""},
		{models.ReportNew, models.ReportAccepted, ""},
		{models.ReportNew, models.ReportNew, models.EINVALID},
		{models.ReportNew, "maybe", models.EINVALID},
		{models.ReportSpam, models.ReportAccepted, models.ECONFLICT},
	}
	for _, tc := range cases {
		err := models.CheckModeration(&models.Report{Status: tc.status}, &models.Moderation{Status: tc.m})
		if models.ErrorCode(err) != tc.code && !(tc.code == "" && err == nil) {
			t.Errorf("%s → %s: %v, want %q", tc.status, tc.m, err, tc.code)
		}
	}
}

func TestReplyText(t *testing.T) {
	claim := int64(3)
	cases := []struct {
		r   models.Report
		has []string
	}{
		{models.Report{Kind: models.ReportError, ClaimID: &claim, Status: models.ReportAccepted, Note: "Thanks, fixed."},
			[]string{"your report of an error", "a correction of the verdict is under review", "Thanks, fixed.", "https://f.example/claims/3", "erased your email address"}},
		{models.Report{Kind: models.ReportSuggestion, Status: models.ReportAccepted}, []string{"will check the claim you suggested"}},
		{models.Report{Kind: models.ReportSuggestion, Status: models.ReportDuplicate}, []string{"already reported to us or already checked"}},
	}
	for _, tc := range cases {
		link := ""
		if tc.r.ClaimID != nil {
			link = "https://f.example/claims/3"
		}
		subject, body := models.ReplyText(&tc.r, "Desk", link)
		if !strings.HasPrefix(subject, "Desk: about your") {
			t.Errorf("subject %q", subject)
		}
		for _, w := range tc.has {
			if !strings.Contains(body, w) {
				t.Errorf("%s/%s: body lacks %q:\n%s", tc.r.Kind, tc.r.Status, w, body)
			}
		}
	}
}
