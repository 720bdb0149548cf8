package models

import (
	"slices"
	"strings"
	"time"
)

// Action moves a claim from one status to another.
type Action string

const (
	ActionAccept   Action = "accept"
	ActionDismiss  Action = "dismiss"
	ActionReopen   Action = "reopen"
	ActionStart    Action = "start"
	ActionSubmit   Action = "submit"
	ActionSendBack Action = "send_back"
	ActionApprove  Action = "approve"
	ActionCorrect  Action = "correct"
	ActionRetract  Action = "retract"
)

// Actions lists every action in workflow order.
var Actions = []Action{ActionAccept, ActionDismiss, ActionReopen, ActionStart, ActionSubmit, ActionSendBack, ActionApprove, ActionCorrect, ActionRetract}

var actionLabels = map[Action]string{
	ActionAccept:   "Accept",
	ActionDismiss:  "Dismiss",
	ActionReopen:   "Reopen",
	ActionStart:    "Start research",
	ActionSubmit:   "Submit for review",
	ActionSendBack: "Send back",
	ActionApprove:  "Approve and publish",
	ActionCorrect:  "Correct",
	ActionRetract:  "Retract",
}

// Label is the name of the action on a button.
func (a Action) Label() string { return actionLabels[a] }

// Valid reports whether a is a known action.
func (a Action) Valid() bool { _, ok := actionLabels[a]; return ok }

// move is one arrow of the workflow.
type move struct {
	from      []Status
	to        Status
	adminOnly bool
}

// The workflow of DESIGN.md. Correct keeps a claim published and proposes
// a correction; approve publishes it and send back drops it, both only on a
// published claim with a pending correction, which stays published. Retract
// withdraws a published verdict and sends the claim back to research.
var moves = map[Action]move{
	ActionAccept:   {from: []Status{StatusCandidate}, to: StatusOpen},
	ActionDismiss:  {from: []Status{StatusCandidate, StatusOpen}, to: StatusDismissed},
	ActionReopen:   {from: []Status{StatusDismissed}, to: StatusOpen},
	ActionStart:    {from: []Status{StatusOpen}, to: StatusResearching},
	ActionSubmit:   {from: []Status{StatusResearching}, to: StatusInReview},
	ActionSendBack: {from: []Status{StatusInReview, StatusPublished}, to: StatusResearching},
	ActionApprove:  {from: []Status{StatusInReview, StatusPublished}, to: StatusPublished},
	ActionCorrect:  {from: []Status{StatusPublished}, to: StatusPublished},
	ActionRetract:  {from: []Status{StatusPublished}, to: StatusResearching, adminOnly: true},
}

// TransitionInput is what an action may carry: a note (a dismissal reason,
// a public correction, a reason to send back or retract) and, for submit and
// correct, the rating and explanation.
type TransitionInput struct {
	Action      Action
	Note        string
	Rating      *Rating
	Explanation *string
	// OverrideReason is why an admin approves what they wrote themselves.
	OverrideReason string
}

// TransitionResult is what a transition changed beyond the claim itself.
type TransitionResult struct {
	From Status
	To   Status
	// Correction is the public note to record: of an approved correction
	// or a retraction.
	Correction string
	// Override is set when an admin approved their own work.
	Override bool
	// Pending is the correction to keep waiting, after correct.
	Pending *PendingCorrection
	// EndsPending is set when the pending correction is approved, sent back
	// or dropped by a retraction.
	EndsPending bool
}

// Transition applies an action by actor to c at time now, following the
// workflow rules and the two-person rule given what rv says of the work
// waiting for approval. It changes c only when it returns no error.
func Transition(c *Claim, actor *User, in TransitionInput, rv Review, now time.Time) (TransitionResult, error) {
	if actor == nil || actor.Disabled {
		return TransitionResult{}, Errorf(EUNAUTHORIZED, "sign in to change a claim")
	}
	m, ok := moves[in.Action]
	if !ok {
		return TransitionResult{}, &Error{Code: EINVALID, Message: "unknown action",
			Fields: map[string]string{"action": "must be one of accept, dismiss, reopen, start, submit, send_back, approve, correct, retract"}}
	}
	if m.adminOnly && !actor.IsAdmin() {
		return TransitionResult{}, Errorf(EFORBIDDEN, "only an admin may %s a published verdict", in.Action)
	}
	if !contains(m.from, c.Status) {
		return TransitionResult{}, Errorf(ECONFLICT, "cannot %s a claim that is %s", in.Action, c.Status.Label())
	}
	if c.Status == StatusPublished && (in.Action == ActionApprove || in.Action == ActionSendBack) {
		if rv.Pending.Empty() {
			return TransitionResult{}, Errorf(ECONFLICT, "cannot %s: no correction of this verdict waits for review", in.Action)
		}
		m.to = StatusPublished
	}
	note := strings.TrimSpace(in.Note)
	next := *c
	res := TransitionResult{From: c.Status, To: m.to}
	f := FieldErrors{}
	if in.Action != ActionSubmit && in.Action != ActionCorrect && (in.Rating != nil || in.Explanation != nil) {
		f.Add("rating", "only submit and correct set the rating and explanation")
	}
	if in.Action != ActionApprove && strings.TrimSpace(in.OverrideReason) != "" {
		f.Add("override_reason", "only approve overrides the two-person rule")
	}
	if in.Action == ActionSubmit {
		if in.Rating != nil {
			next.Rating = *in.Rating
		}
		if in.Explanation != nil {
			next.Explanation = *in.Explanation
		}
	}

	switch in.Action {
	case ActionDismiss:
		if note == "" {
			f.Add("note", "say why the claim is dismissed")
		}
		next.DismissReason = note
	case ActionReopen:
		next.DismissReason = ""
	case ActionSubmit:
		requireVerdict(f, &next)
		next.SubmitterID = &actor.ID
	case ActionSendBack:
		if note == "" {
			f.Add("note", "say what the claim still needs")
		}
		res.EndsPending = c.Status == StatusPublished
	case ActionApprove:
		override, err := MayApprove(c, actor, rv, in.OverrideReason)
		if err != nil {
			return TransitionResult{}, err
		}
		res.Override = override
		next.ReviewerID = &actor.ID
		if c.Status == StatusPublished {
			next = rv.Pending.Applied(next)
			res.Correction, res.EndsPending = rv.Pending.Note, true
		} else {
			at := now
			next.PublishedAt = &at
			next.OverrideReason = ""
		}
		if override {
			next.OverrideReason = strings.TrimSpace(in.OverrideReason)
		}
		requireVerdict(f, &next)
	case ActionCorrect:
		p, err := Propose(c, rv.Pending, nil, nil, in.Rating, in.Explanation, note, now)
		if err != nil {
			return TransitionResult{}, err
		}
		if p == nil {
			f.Add("rating", "the correction changes nothing readers see")
		}
		res.Pending = p
	case ActionRetract:
		if note == "" {
			f.Add("note", "a retraction needs a public note")
		}
		res.Correction = "Retracted: " + note
		res.EndsPending = rv.Pending != nil
		next.PublishedAt = nil
	}
	if err := f.Err(); err != nil {
		return TransitionResult{}, err
	}
	next.Status = m.to
	if err := next.Validate(); err != nil {
		return TransitionResult{}, err
	}
	*c = next
	return res, nil
}

func requireVerdict(f FieldErrors, c *Claim) {
	if !c.Rating.Valid() {
		f.Add("rating", "a verdict needs a rating")
	}
	if strings.TrimSpace(c.Explanation) == "" {
		f.Add("explanation", "a verdict needs an explanation")
	}
}

// AllowedActions lists the actions actor may take on c now, for buttons.
// Approve is left out for its authors unless they are an admin who may
// override; approve and send back of a published claim need a pending
// correction.
func AllowedActions(c *Claim, actor *User, rv Review) []Action {
	if actor == nil || actor.Disabled {
		return nil
	}
	var out []Action
	for _, a := range Actions {
		m := moves[a]
		if !contains(m.from, c.Status) || (m.adminOnly && !actor.IsAdmin()) {
			continue
		}
		if c.Status == StatusPublished && (a == ActionApprove || a == ActionSendBack) && rv.Pending.Empty() {
			continue
		}
		if a == ActionApprove && slices.Contains(rv.Authors, actor.ID) && (!actor.IsAdmin() || rv.Rule == TwoPersonStrict) {
			continue
		}
		out = append(out, a)
	}
	return out
}

func contains(list []Status, s Status) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
