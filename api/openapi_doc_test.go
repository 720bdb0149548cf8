package api_test

import (
	"testing"

	"factdesk/api"
)

func TestOpenAPIDocumentIsValid(t *testing.T) {
	if _, err := api.OpenAPI(); err != nil {
		t.Fatal(err)
	}
}
