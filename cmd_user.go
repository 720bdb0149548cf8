package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"factdesk/models"
	"factdesk/store"
)

func runUser(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	const usage = "Usage: factdesk user add --email E --name N --role admin|editor --password-stdin\n" +
		"       factdesk user passwd --email E --password-stdin\n       factdesk user list"
	if len(args) == 0 || (args[0] != "add" && args[0] != "list" && args[0] != "passwd") {
		fmt.Fprintln(stderr, usage)
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			return exitOK
		}
		return exitUsage
	}
	switch args[0] {
	case "list":
		return runUserList(args[1:], stdout, stderr)
	case "passwd":
		return runUserPasswd(args[1:], stdin, stdout, stderr)
	}
	return runUserAdd(args[1:], stdin, stdout, stderr)
}

// runUserPasswd sets a user's password, for an admin at the server (or a
// user who lost theirs): every session of the user ends and every API
// token is revoked.
func runUserPasswd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, dsn := dbFlags("user passwd", "user passwd --email E --password-stdin", stderr)
	email := fs.String("email", "", "the user's email address")
	password, code, done := parseWithPassword(fs, args, "the new password", stdin, stderr)
	if done {
		return code
	}
	if strings.TrimSpace(*email) == "" {
		fmt.Fprintln(stderr, "factdesk user passwd: --email is required")
		return exitUsage
	}
	if err := models.ValidatePassword(password, *email); err != nil {
		fmt.Fprintf(stderr, "factdesk user passwd: %s\n", describe(err))
		return exitUsage
	}
	return withDB("user passwd", *dsn, storeOptions(), stderr, func(ctx context.Context, db *store.DB) error {
		u, err := db.SetPassword(ctx, *email, password)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; every session ended and every API token revoked\n", u.Email)
		return nil
	})
}

// parseWithPassword adds --password-stdin to fs, for the password what
// names, parses args and reads the password from the first line of standard
// input, which the flag must have asked for: passwords are never arguments.
// done is true when the command should stop with code.
func parseWithPassword(fs *flag.FlagSet, args []string, what string, stdin io.Reader, stderr io.Writer) (password string, code int, done bool) {
	fromStdin := fs.Bool("password-stdin", false, "read "+what+" (at least 12 characters, not a common one) from the first line of standard input")
	if code, done := parse(fs, args); done {
		return "", code, true
	}
	if !*fromStdin {
		fmt.Fprintf(stderr, "factdesk %s: --password-stdin is required: passwords are never taken as arguments\n", fs.Name())
		return "", exitUsage, true
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		fmt.Fprintf(stderr, "factdesk %s: read password: %v\n", fs.Name(), err)
		return "", exitUsage, true
	}
	return strings.TrimRight(line, "\r\n"), exitOK, false
}

func runUserAdd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, dsn := dbFlags("user add", "user add --email E --name N --role admin|editor --password-stdin", stderr)
	email := fs.String("email", "", "the user's email address (their login)")
	name := fs.String("name", "", "the user's name")
	role := fs.String("role", "editor", "admin or editor")
	password, code, done := parseWithPassword(fs, args, "the password", stdin, stderr)
	if done {
		return code
	}
	u := models.User{Email: *email, Name: *name, Role: models.Role(*role)}
	// Check what was given before opening (and perhaps creating) a database.
	u.Normalize()
	if err := firstError(u.Validate(), models.ValidatePassword(password, u.Email)); err != nil {
		fmt.Fprintf(stderr, "factdesk user add: %s\n", describe(err))
		return exitUsage
	}
	return withDB("user add", *dsn, storeOptions(), stderr, func(ctx context.Context, db *store.DB) error {
		if err := db.CreateUser(ctx, &u, password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "added %s %s (%s), id %d\n", u.Role, u.Email, u.Name, u.ID)
		return nil
	})
}

func runUserList(args []string, stdout, stderr io.Writer) int {
	fs, dsn := dbFlags("user list", "user list [flags]", stderr)
	if code, done := parse(fs, args); done {
		return code
	}
	return withDB("user list", *dsn, storeOptions(), stderr, func(ctx context.Context, db *store.DB) error {
		users, err := db.ListUsers(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tROLE\tSTATUS")
		for _, u := range users {
			status := "active"
			if u.Disabled {
				status = "disabled"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Name, u.Role, status)
		}
		return tw.Flush()
	})
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func storeOptions() store.Options { return store.Options{} }
