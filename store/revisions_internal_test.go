package store

import (
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"factdesk/models"
)

// update finds the column of each field a revision records by its JSON
// name: every JSON field of an updated model must be a column, or the first
// edit of that field fails.
func TestUpdatedFieldsAreColumns(t *testing.T) {
	for _, m := range []any{&models.Claim{}, &models.Document{}, &models.Source{}} {
		sch, err := schema.Parse(m, &sync.Map{}, schema.NamingStrategy{})
		if err != nil {
			t.Fatal(err)
		}
		fields, err := fieldsOf(m)
		if err != nil {
			t.Fatal(err)
		}
		for name := range fields {
			if fieldByJSON(sch, name) == nil {
				t.Errorf("%s: JSON field %q is no column", sch.Name, name)
			}
		}
	}
}
