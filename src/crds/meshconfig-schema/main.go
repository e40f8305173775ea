// Prints, on stdout, a JSON schema of istio.mesh.v1alpha1.MeshConfig as istiod reads it from the
// mesh ConfigMap: YAML turned into JSON and decoded with github.com/golang/protobuf's jsonpb
// (pkg/config/mesh ApplyMeshConfig -> protomarshal.ApplyYAML). The schema follows what that
// decoder accepts, walked from the Go descriptors of the istio.io/api module this is built with:
//
//   - a field under its lowerCamel JSON name or its proto name (jsonpb looks up both);
//   - null for any field (jsonpb skips it);
//   - enums by value name or by number;
//   - integers as numbers or as strings of digits, floats as numbers, numeric strings or NaN/Infinity;
//   - wrapper messages (BoolValue, ...) as the plain value, Duration as a Go duration string
//     (jsonpb uses time.ParseDuration), Struct/Value/Any/ListValue open.
//
// Unknown keys are rejected although istiod only logs them (it retries ignoring unknown
// fields): in a values file they are typos, and the schema is there to catch them.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"google.golang.org/protobuf/reflect/protoreflect"
	meshv1alpha1 "istio.io/api/mesh/v1alpha1"
)

type schema = map[string]any

// time.ParseDuration: an optional sign, then "0" or one or more decimal numbers with a unit.
const durationPattern = `^[-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$`

type generator struct {
	definitions map[string]schema
}

func refTo(name protoreflect.FullName) schema {
	return schema{"$ref": "#/definitions/" + string(name)}
}

func integer(unsigned bool) schema {
	pattern := `^-?[0-9]+$`
	s := schema{"type": []string{"integer", "string", "null"}}
	if unsigned {
		pattern = `^[0-9]+$`
		s["minimum"] = 0
	}
	s["pattern"] = pattern
	return s
}

func float() schema {
	return schema{"type": []string{"number", "string", "null"}, "pattern": `^(-?[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?|NaN|-?Infinity)$`}
}

// wellKnown gives the JSON form of google.protobuf messages jsonpb treats specially.
func wellKnown(name protoreflect.FullName) (schema, bool) {
	switch name {
	case "google.protobuf.BoolValue":
		return schema{"type": []string{"boolean", "null"}}, true
	case "google.protobuf.StringValue", "google.protobuf.BytesValue":
		return schema{"type": []string{"string", "null"}}, true
	case "google.protobuf.Int32Value", "google.protobuf.Int64Value":
		return integer(false), true
	case "google.protobuf.UInt32Value", "google.protobuf.UInt64Value":
		return integer(true), true
	case "google.protobuf.FloatValue", "google.protobuf.DoubleValue":
		return float(), true
	case "google.protobuf.Duration":
		return schema{"type": []string{"string", "null"}, "pattern": durationPattern, "description": "A duration such as 1s, 500ms or 1h30m."}, true
	case "google.protobuf.Timestamp", "google.protobuf.FieldMask":
		return schema{"type": []string{"string", "null"}}, true
	case "google.protobuf.Struct", "google.protobuf.Any", "google.protobuf.Empty":
		return schema{"type": []string{"object", "null"}}, true
	case "google.protobuf.ListValue":
		return schema{"type": []string{"array", "null"}}, true
	case "google.protobuf.Value":
		return schema{}, true
	}
	return nil, false
}

// singular is the schema of one value of the field's kind (a list item, a map value).
func (g *generator) singular(fd protoreflect.FieldDescriptor) schema {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return schema{"type": []string{"boolean", "null"}}
	case protoreflect.StringKind, protoreflect.BytesKind:
		return schema{"type": []string{"string", "null"}}
	case protoreflect.Int32Kind, protoreflect.Sint32Kind, protoreflect.Sfixed32Kind,
		protoreflect.Int64Kind, protoreflect.Sint64Kind, protoreflect.Sfixed64Kind:
		return integer(false)
	case protoreflect.Uint32Kind, protoreflect.Fixed32Kind, protoreflect.Uint64Kind, protoreflect.Fixed64Kind:
		return integer(true)
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return float()
	case protoreflect.EnumKind:
		ed := fd.Enum()
		g.enum(ed)
		return refTo(ed.FullName())
	case protoreflect.MessageKind, protoreflect.GroupKind:
		md := fd.Message()
		if s, ok := wellKnown(md.FullName()); ok {
			return s
		}
		g.message(md)
		return refTo(md.FullName())
	}
	panic(fmt.Sprintf("field %s: unexpected kind %v", fd.FullName(), fd.Kind()))
}

func (g *generator) enum(ed protoreflect.EnumDescriptor) {
	if _, done := g.definitions[string(ed.FullName())]; done {
		return
	}
	var names []any
	var numbers []any
	values := ed.Values()
	for i := 0; i < values.Len(); i++ {
		names = append(names, string(values.Get(i).Name()))
		numbers = append(numbers, int(values.Get(i).Number()))
	}
	g.definitions[string(ed.FullName())] = schema{
		"description": fmt.Sprintf("%s, by name or number.", ed.FullName()),
		"enum":        append(append(append([]any{}, names...), numbers...), nil),
	}
}

func (g *generator) field(fd protoreflect.FieldDescriptor) schema {
	var s schema
	switch {
	case fd.IsMap():
		s = schema{"type": []string{"object", "null"}, "additionalProperties": g.singular(fd.MapValue())}
	case fd.IsList():
		s = schema{"type": []string{"array", "null"}, "items": g.singular(fd)}
	default:
		s = g.singular(fd)
	}
	if opts, ok := fd.Options().(interface{ GetDeprecated() bool }); ok && opts.GetDeprecated() {
		// a $ref sibling is ignored by draft-07, so the note goes into an allOf
		if _, isRef := s["$ref"]; isRef {
			s = schema{"allOf": []any{s}}
		}
		s["description"] = "Deprecated in MeshConfig."
	}
	return s
}

func (g *generator) message(md protoreflect.MessageDescriptor) {
	name := string(md.FullName())
	if _, done := g.definitions[name]; done {
		return
	}
	properties := schema{}
	def := schema{"type": []string{"object", "null"}, "additionalProperties": false, "properties": properties}
	g.definitions[name] = def // before the fields: messages may refer to themselves
	fields := md.Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		s := g.field(fd)
		properties[fd.JSONName()] = s
		if string(fd.Name()) != fd.JSONName() {
			properties[string(fd.Name())] = schema{"$ref": fmt.Sprintf("#/definitions/%s/properties/%s", name, fd.JSONName())}
		}
	}
}

func main() {
	g := &generator{definitions: map[string]schema{}}
	root := (&meshv1alpha1.MeshConfig{}).ProtoReflect().Descriptor()
	g.message(root)
	out := schema{"root": string(root.FullName()), "definitions": g.definitions}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
