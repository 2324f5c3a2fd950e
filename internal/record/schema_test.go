package record

import (
	"reflect"
	"strings"
	"testing"
)

// TestColumnsMatchStructs keeps the documented schema in step with the
// struct tags that actually define the files.
func TestColumnsMatchStructs(t *testing.T) {
	for _, tt := range []struct {
		name string
		typ  reflect.Type
		cols []Column
	}{
		{"reviews", reflect.TypeFor[Review](), ReviewColumns},
		{"rejects", reflect.TypeFor[Reject](), RejectColumns},
		{"pages", reflect.TypeFor[Fetch](), FetchColumns},
		{"comments", reflect.TypeFor[CommentRow](), CommentColumns},
	} {
		var tagged []string
		for i := range tt.typ.NumField() {
			name, _, _ := strings.Cut(tt.typ.Field(i).Tag.Get("parquet"), ",")
			if name == "" || name == "-" {
				continue
			}
			if json, _, _ := strings.Cut(tt.typ.Field(i).Tag.Get("json"), ","); json != name {
				t.Errorf("%s: field %s has parquet name %q but json name %q", tt.name, tt.typ.Field(i).Name, name, json)
			}
			tagged = append(tagged, name)
		}
		var documented []string
		for _, c := range tt.cols {
			documented = append(documented, c.Name)
		}
		if strings.Join(tagged, ",") != strings.Join(documented, ",") {
			t.Errorf("%s: struct columns\n%v\ndocumented columns\n%v", tt.name, tagged, documented)
		}
	}
}
