package main

import (
	"context"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
)

// loadCompose parses docker-compose.yml as Docker Compose would, with env
// as the environment it interpolates from.
func loadCompose(t *testing.T, env map[string]string) *types.Project {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	p, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  wd,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(wd, "docker-compose.yml")}},
		Environment: env,
	}, func(o *loader.Options) { o.SetProjectName("factdesk", true) })
	if err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	return p
}

func TestComposeFile(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"Defaults":       {},
		"ChosenPassword": {"POSTGRES_PASSWORD": "s3cretWord42"},
	} {
		t.Run(name, func(t *testing.T) {
			p := loadCompose(t, env)
			for _, s := range []string{"db", "migrate", "app1", "app2", "proxy"} {
				if _, ok := p.Services[s]; !ok {
					t.Fatalf("no service %q; have %v", s, p.ServiceNames())
				}
			}
			db := p.Services["db"]
			checkDatabase(t, p, db)
			migrate := p.Services["migrate"]
			if !slices.Equal([]string(migrate.Command), []string{"migrate"}) || migrate.Build == nil {
				t.Errorf("migrate runs %v (build %v), want the image's migrate", migrate.Command, migrate.Build)
			}
			dependsOn(t, migrate, "db", types.ServiceConditionHealthy)
			checkDSN(t, "migrate", migrate, db)

			for _, name := range []string{"app1", "app2"} {
				app := p.Services[name]
				if app.Build == nil || app.Build.Context != p.WorkingDir {
					t.Errorf("%s is not built from the Dockerfile here: %+v", name, app.Build)
				}
				if !slices.Equal([]string(app.Command), []string{"serve"}) {
					t.Errorf("%s runs %v", name, app.Command)
				}
				dependsOn(t, app, "db", types.ServiceConditionHealthy)
				dependsOn(t, app, "migrate", types.ServiceConditionCompletedSuccessfully)
				checkDSN(t, name, app, db)
				if hc := app.HealthCheck; hc == nil || !slices.Equal([]string(hc.Test), []string{"CMD", "/factdesk", "healthcheck"}) {
					t.Errorf("%s healthcheck = %+v", name, app.HealthCheck)
				}
				addr := value(app.Environment, "FACTDESK_ADDR")
				if !strings.HasPrefix(addr, "0.0.0.0:") || !slices.Contains(app.Expose, strings.TrimPrefix(addr, "0.0.0.0:")) {
					t.Errorf("%s listens on %q, exposes %v", name, addr, app.Expose)
				}
				if proxy := p.Services["proxy"].Networks["default"]; proxy == nil || proxy.Ipv4Address == "" || value(app.Environment, "FACTDESK_TRUSTED_PROXIES") != proxy.Ipv4Address {
					t.Errorf("%s trusts X-Forwarded-For from %q, the proxy is at %+v", name, value(app.Environment, "FACTDESK_TRUSTED_PROXIES"), proxy)
				}
				if len(app.Ports) != 0 {
					t.Errorf("%s publishes %v: only the proxy should", name, app.Ports)
				}
			}
			// The first start (demo import, first admin) happens in app1 alone.
			dependsOn(t, p.Services["app2"], "app1", types.ServiceConditionHealthy)

			checkProxy(t, p, p.Services["proxy"])
			if ipam := p.Networks["default"].Ipam; len(ipam.Config) != 1 {
				t.Errorf("default network: %+v, want one subnet holding the proxy's address", ipam)
			} else if _, subnet, err := net.ParseCIDR(ipam.Config[0].Subnet); err != nil || !subnet.Contains(net.ParseIP(p.Services["proxy"].Networks["default"].Ipv4Address)) {
				t.Errorf("the proxy's address is outside the subnet %q (%v)", ipam.Config[0].Subnet, err)
			}
		})
	}
}

func checkDatabase(t *testing.T, p *types.Project, db types.ServiceConfig) {
	t.Helper()
	if !regexp.MustCompile(`^postgres:1[5-9]`).MatchString(db.Image) {
		t.Errorf("db image %q, want postgres 15 or later", db.Image)
	}
	if len(db.Ports) != 0 {
		t.Errorf("db publishes %v: the database stays inside the compose network", db.Ports)
	}
	var data *types.ServiceVolumeConfig
	for i, v := range db.Volumes {
		if v.Target == "/var/lib/postgresql/data" {
			data = &db.Volumes[i]
		}
	}
	if data == nil || data.Type != types.VolumeTypeVolume {
		t.Fatalf("db data is not on a named volume: %+v", db.Volumes)
	}
	if _, ok := p.Volumes[data.Source]; !ok {
		t.Errorf("volume %q is not declared", data.Source)
	}
	hc := db.HealthCheck
	if hc == nil || len(hc.Test) < 2 || !strings.Contains(strings.Join(hc.Test, " "), "pg_isready") {
		t.Fatalf("db healthcheck = %+v, want pg_isready", hc)
	}
	for _, k := range []string{"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"} {
		if value(db.Environment, k) == "" {
			t.Errorf("db has no %s", k)
		}
	}
	test := strings.Join(hc.Test, " ")
	if !strings.Contains(test, "-U "+value(db.Environment, "POSTGRES_USER")) || !strings.Contains(test, "-d "+value(db.Environment, "POSTGRES_DB")) {
		t.Errorf("db healthcheck %q asks for another user or database", test)
	}
}

// checkDSN checks that the service's FACTDESK_DATABASE reaches the db
// service with its user, password and database.
func checkDSN(t *testing.T, name string, s, db types.ServiceConfig) {
	t.Helper()
	dsn := value(s.Environment, "FACTDESK_DATABASE")
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s: FACTDESK_DATABASE %q is not a postgres:// URL", name, dsn)
	}
	pw, _ := u.User.Password()
	got := [...]string{u.User.Username(), pw, u.Hostname(), u.Port(), strings.TrimPrefix(u.Path, "/")}
	want := [...]string{value(db.Environment, "POSTGRES_USER"), value(db.Environment, "POSTGRES_PASSWORD"), db.Name, "5432", value(db.Environment, "POSTGRES_DB")}
	if got != want {
		t.Errorf("%s: DSN names user, password, host, port, database %q; the db service is %q", name, got, want)
	}
}

func checkProxy(t *testing.T, p *types.Project, proxy types.ServiceConfig) {
	t.Helper()
	if len(proxy.Ports) != 1 || proxy.Ports[0].Published != "8080" || proxy.Ports[0].Target != 80 {
		t.Errorf("proxy ports = %+v, want 8080:80", proxy.Ports)
	}
	dependsOn(t, proxy, "app1", types.ServiceConditionHealthy)
	dependsOn(t, proxy, "app2", types.ServiceConditionHealthy)
	var conf string
	for _, v := range proxy.Volumes {
		if v.Type == types.VolumeTypeBind && strings.HasPrefix(v.Target, "/etc/nginx/") {
			conf = v.Source
		}
	}
	b, err := os.ReadFile(conf)
	if err != nil {
		t.Fatalf("proxy configuration: %v", err)
	}
	upstream := regexp.MustCompile(`(?m)^\s*server\s+([\w.-]+):(\d+)`).FindAllStringSubmatch(string(b), -1)
	var targets []string
	for _, m := range upstream {
		targets = append(targets, m[1]+":"+m[2])
		app, ok := p.Services[m[1]]
		if !ok || !slices.Contains(app.Expose, m[2]) {
			t.Errorf("proxy sends to %s:%s, which no service exposes", m[1], m[2])
		}
	}
	if !slices.Equal(targets, []string{"app1:8080", "app2:8080"}) {
		t.Errorf("proxy upstream = %v", targets)
	}
}

func dependsOn(t *testing.T, s types.ServiceConfig, on, condition string) {
	t.Helper()
	if d, ok := s.DependsOn[on]; !ok || d.Condition != condition {
		t.Errorf("%s depends on %s with %+v, want condition %s", s.Name, on, s.DependsOn[on], condition)
	}
}

func value(env types.MappingWithEquals, key string) string {
	if v, ok := env[key]; ok && v != nil {
		return *v
	}
	return ""
}

// The Dockerfile builds in one stage and runs as a non-root user in
// another, with a healthcheck the runtime image can run.
func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var from, user, health, expose []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		switch strings.ToUpper(f[0]) {
		case "FROM":
			from = append(from, f[1])
		case "USER":
			user = append(user, f[1])
		case "HEALTHCHECK":
			health = append(health, line)
		case "EXPOSE":
			expose = append(expose, f[1])
		}
	}
	if len(from) < 2 || !strings.HasPrefix(from[0], "golang:") {
		t.Errorf("stages = %v, want a Go build stage and a runtime stage", from)
	}
	if len(user) == 0 || strings.HasPrefix(user[len(user)-1], "0") || strings.HasPrefix(user[len(user)-1], "root") {
		t.Errorf("runs as %v, want a non-root user", user)
	}
	if len(health) != 1 || !strings.Contains(string(b), `CMD ["/factdesk", "healthcheck"]`) {
		t.Errorf("healthcheck = %v", health)
	}
	if !slices.Equal(expose, []string{"8080"}) || !strings.Contains(string(b), "FACTDESK_ADDR=0.0.0.0:8080") {
		t.Errorf("exposes %v", expose)
	}
	if _, ok := commands["healthcheck"]; !ok {
		t.Error("the image's healthcheck names a command factdesk lacks")
	}
}
