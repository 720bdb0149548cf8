package servertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeTags are the rule sets checked: WCAG 2.0, 2.1 and 2.2 at levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// AxeViolation is one failed axe-core rule and where it failed.
type AxeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// Axe runs axe-core in the page open in ctx and fails the test for every
// violation of a WCAG 2 A or AA rule. axe-core comes from the npm registry
// through the repository's package.json; without node_modules the test is
// skipped with the command that installs it.
func Axe(t testing.TB, ctx context.Context) {
	t.Helper()
	src := axeSource(t)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	// The page's Content-Security-Policy forbids inline script; DevTools
	// evaluation is not page script and is not subject to it.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](src+";true")); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	tags, _ := json.Marshal(axeTags)
	run := fmt.Sprintf(`axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`, tags)
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var violations []AxeViolation
	if err := json.Unmarshal([]byte(out), &violations); err != nil {
		t.Fatalf("read axe-core results: %v", err)
	}
	url, _ := chromedp.Run(ctx, chromedp.Location())
	for _, v := range violations {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprintf("%v %s", n.Target, n.HTML))
		}
		t.Errorf("axe %s (%s) on %s: %s\n  %s", v.ID, v.Impact, url, v.Help, strings.Join(where, "\n  "))
	}
}

// axeSource reads node_modules/axe-core/axe.min.js from the repository's
// root (the folder with go.mod), or skips the test.
func axeSource(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("axe: no go.mod above the test's folder")
		}
		dir = parent
	}
	b, err := os.ReadFile(filepath.Join(dir, "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Skipf("axe-core is not installed: run npm ci in %s (%v)", dir, err)
	}
	return string(b)
}
