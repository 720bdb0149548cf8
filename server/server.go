// Package server puts Factdesk's HTTP together: the shared engine of
// package web, then the routes of each audience, each in its own package
// (api for the JSON API, reader for the public pages, desk for the
// editors' pages). Tests that drive the whole site over HTTP live here.
package server

import (
	"net/http"

	"factdesk/api"
	"factdesk/desk"
	"factdesk/reader"
	"factdesk/web"
)

// Config is what the server needs; nothing is read from globals.
type Config = web.Config

// New builds the HTTP handler of Factdesk.
func New(cfg Config) (http.Handler, error) {
	h, _, err := NewWithMetrics(cfg)
	return h, err
}

// NewWithMetrics builds the HTTP handler of Factdesk and the handler of its
// metrics, for a listener only the operator reaches.
func NewWithMetrics(cfg Config) (app, metrics http.Handler, err error) {
	s, err := web.NewServer(cfg)
	if err != nil {
		return nil, nil, err
	}
	s.Engine.GET("/healthz", s.Healthz)
	if err := api.Routes(s); err != nil {
		return nil, nil, err
	}
	reader.Routes(s)
	desk.Routes(s)
	s.Engine.NoRoute(s.NoRoute)
	return s.Engine, s.Metrics(), nil
}
