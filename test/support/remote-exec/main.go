// remote-exec: runs a command in a pod's container with client-go's remotecommand, the client
// the Gateway API conformance suite and most operators' tools use for pods/exec, and prints a
// JSON line: stdout, stderr, the exit code the API reported, and any other error.
//
//	remote-exec <kubeconfig> <namespace> <pod> <container> <tty rows>x<cols>|- <command>...
//
// With a size, it asks for a TTY and sends that size as the first resize event.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/tools/remotecommand"
	"k8s.io/client-go/util/exec"
)

type oneSize struct{ size *remotecommand.TerminalSize }

func (s *oneSize) Next() *remotecommand.TerminalSize {
	size := s.size
	s.size = nil
	if size == nil {
		time.Sleep(time.Hour) // one resize only; the stream ends before this returns
	}
	return size
}

func main() {
	if len(os.Args) < 7 {
		fmt.Fprintln(os.Stderr, "usage: remote-exec <kubeconfig> <namespace> <pod> <container> <rows>x<cols>|- <command>...")
		os.Exit(2)
	}
	kubeconfig, ns, pod, container, tty, command := os.Args[1], os.Args[2], os.Args[3], os.Args[4], os.Args[5], os.Args[6:]
	out := map[string]any{}
	err := run(kubeconfig, ns, pod, container, tty, command, out)
	var exitErr exec.CodeExitError
	if errors.As(err, &exitErr) {
		out["exitCode"] = exitErr.Code
	} else if err != nil {
		out["error"] = err.Error()
	} else {
		out["exitCode"] = 0
	}
	_ = json.NewEncoder(os.Stdout).Encode(out)
}

func run(kubeconfig, ns, pod, container, tty string, command []string, out map[string]any) error {
	config, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	useTTY := tty != "-"
	req := client.CoreV1().RESTClient().Post().Resource("pods").Namespace(ns).Name(pod).SubResource("exec").
		VersionedParams(&corev1.PodExecOptions{Container: container, Command: command, Stdout: true, Stderr: !useTTY, TTY: useTTY}, scheme.ParameterCodec)
	executor, err := remotecommand.NewSPDYExecutor(config, "POST", req.URL())
	if err != nil {
		return err
	}
	var stdout, stderr bytes.Buffer
	opts := remotecommand.StreamOptions{Stdout: &stdout, Tty: useTTY}
	if !useTTY {
		opts.Stderr = &stderr
	} else {
		var rows, cols uint16
		if _, err := fmt.Sscanf(tty, "%dx%d", &rows, &cols); err != nil {
			return fmt.Errorf("tty size %q: %w", tty, err)
		}
		opts.TerminalSizeQueue = &oneSize{&remotecommand.TerminalSize{Height: rows, Width: cols}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err = executor.StreamWithContext(ctx, opts)
	out["stdout"] = strings.ReplaceAll(stdout.String(), "\r\n", "\n")
	out["stderr"] = stderr.String()
	return err
}
