package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/gin-gonic/gin"
)

// openAPIYAML describes every route under /api/v1. It is written by hand,
// and kept true by the tests: every response they receive is validated
// against it, and its paths must be exactly the engine's routes.
//
//go:embed openapi.yaml
var openAPIYAML []byte

// OpenAPI returns the parsed, validated OpenAPI document of the JSON API.
func OpenAPI() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIYAML)
	if err != nil {
		return nil, fmt.Errorf("api: openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("api: openapi.yaml: %w", err)
	}
	return doc, nil
}

func openAPIJSON() ([]byte, error) {
	doc, err := OpenAPI()
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("api: openapi.yaml: %w", err)
	}
	return b, nil
}

// getOpenAPI serves the OpenAPI document.
func (s *Server) getOpenAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", s.openAPI)
}
