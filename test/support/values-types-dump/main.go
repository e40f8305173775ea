// Prints, as JSON on stdout, the tree of chart values upstream types in
// operator/pkg/apis/values_types.proto (message istio.operator.v1alpha1.Values), walked from the
// Go descriptors of the pinned istio.io/istio module: for each field its JSON name, what kind
// of value it holds, whether upstream marks it deprecated, and the fields of a message value.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"google.golang.org/protobuf/reflect/protoreflect"
	"istio.io/istio/operator/pkg/apis"
)

type node struct {
	Name       string   `json:"name"`
	ProtoName  string   `json:"protoName"`
	Kind       string   `json:"kind"`
	Type       string   `json:"type,omitempty"`
	Repeated   bool     `json:"repeated,omitempty"`
	Map        bool     `json:"map,omitempty"`
	Deprecated bool     `json:"deprecated,omitempty"`
	Enum       []string `json:"enum,omitempty"`
	Fields     []*node  `json:"fields,omitempty"`
}

// kindOf names the JSON value a field holds: boolean, string, integer, number, enum, object
// (an open Struct), any (a Value), intOrString, duration, or message (a typed message with fields).
func kindOf(fd protoreflect.FieldDescriptor) (string, string) {
	switch fd.Kind() {
	case protoreflect.BoolKind:
		return "boolean", ""
	case protoreflect.StringKind, protoreflect.BytesKind:
		return "string", ""
	case protoreflect.FloatKind, protoreflect.DoubleKind:
		return "number", ""
	case protoreflect.EnumKind:
		return "enum", string(fd.Enum().FullName())
	case protoreflect.MessageKind:
		name := string(fd.Message().FullName())
		switch name {
		case "google.protobuf.BoolValue":
			return "boolean", name
		case "google.protobuf.StringValue":
			return "string", name
		case "google.protobuf.Int32Value", "google.protobuf.UInt32Value", "google.protobuf.Int64Value", "google.protobuf.UInt64Value":
			return "integer", name
		case "google.protobuf.FloatValue", "google.protobuf.DoubleValue":
			return "number", name
		case "google.protobuf.Duration":
			return "duration", name
		case "google.protobuf.Struct":
			return "object", name
		case "google.protobuf.Value", "google.protobuf.Any":
			return "any", name
		case "istio.operator.v1alpha1.IntOrString":
			// written as a plain integer or string (it has its own JSON unmarshaller)
			return "intOrString", name
		}
		return "message", name
	}
	return "integer", ""
}

func walk(md protoreflect.MessageDescriptor, seen map[string]bool) []*node {
	if seen[string(md.FullName())] {
		return nil
	}
	seen[string(md.FullName())] = true
	defer delete(seen, string(md.FullName()))
	var out []*node
	fields := md.Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		n := &node{Name: fd.JSONName(), ProtoName: string(fd.Name())}
		vd := fd
		if fd.IsMap() {
			n.Map = true
			vd = fd.MapValue()
		}
		n.Repeated = fd.IsList()
		n.Kind, n.Type = kindOf(vd)
		if opts, ok := fd.Options().(interface{ GetDeprecated() bool }); ok && opts.GetDeprecated() {
			n.Deprecated = true
		}
		if vd.Kind() == protoreflect.EnumKind {
			values := vd.Enum().Values()
			for j := 0; j < values.Len(); j++ {
				n.Enum = append(n.Enum, string(values.Get(j).Name()))
			}
		}
		if n.Kind == "message" {
			n.Fields = walk(vd.Message(), seen)
		}
		out = append(out, n)
	}
	return out
}

func main() {
	root := (&apis.Values{}).ProtoReflect().Descriptor()
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(walk(root, map[string]bool{})); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
