// kubelet-api: the local node's kubelet API on port 10250, what the apiserver dials for
// `kubectl exec`, `logs`, `port-forward` and the node proxy.
//
// The node agent (node/main.ts) runs pods as processes; this program gives them the kubelet's
// HTTPS face with the Kubernetes code a kubelet and a container runtime use:
//   - exec and port-forward: k8s.io/cri-streaming (the streaming server containerd and CRI-O
//     run for the kubelet), SPDY as the apiserver speaks it to nodes;
//   - containerLogs: k8s.io/cri-client's ReadLogs over the CRI-format files the node writes,
//     one per container instance (follow, tail, since, limitBytes, timestamps, previous);
//   - authentication and authorization: k8s.io/apiserver's delegating authenticator (client
//     certificates of the cluster CA, bearer tokens by TokenReview) and authorizer
//     (SubjectAccessReview on nodes/<subresource>), as kubelets run with --authorization-mode=Webhook.
//
// What a container is (its network namespace, the launch prefix that gives it its files, user
// and hostname, its environment, its log files) it asks the node agent, over the agent's
// private HTTP API (--agent), per request.
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/apiserver/pkg/apis/apiserver"
	"k8s.io/apiserver/pkg/authentication/authenticator"
	"k8s.io/apiserver/pkg/authentication/authenticatorfactory"
	"k8s.io/apiserver/pkg/authorization/authorizer"
	"k8s.io/apiserver/pkg/authorization/authorizerfactory"
	"k8s.io/apiserver/pkg/server/dynamiccertificates"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	internalapi "k8s.io/cri-api/pkg/apis"
	runtimeapi "k8s.io/cri-api/pkg/apis/runtime/v1"
	"k8s.io/cri-client/pkg/logs"
	"k8s.io/cri-streaming/pkg/streaming/portforward"
	"k8s.io/cri-streaming/pkg/streaming/remotecommand"
	utilexec "k8s.io/utils/exec"
)

// container is the node agent's answer for one container (or, with no container named, the pod).
type container struct {
	Netns    string            `json:"netns"`
	Prefix   []string          `json:"prefix"`
	Env      map[string]string `json:"env"`
	Cwd      string            `json:"cwd"`
	LogPath  string            `json:"logPath"`
	Instance int               `json:"instance"`
	Running  bool              `json:"running"`
}

// agentError carries the node agent's status and one-line message to the client unchanged.
type agentError struct {
	status  int
	message string
}

func (e *agentError) Error() string { return e.message }

type agent struct {
	base   string
	client *http.Client
}

func (a *agent) container(ns, pod, name string, previous bool) (*container, error) {
	q := url.Values{"namespace": {ns}, "pod": {pod}, "container": {name}}
	if previous {
		q.Set("previous", "1")
	}
	resp, err := a.client.Get(a.base + "/container?" + q.Encode())
	if err != nil {
		return nil, fmt.Errorf("asking the node agent about %s/%s: %w", ns, pod, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		_ = json.Unmarshal(body, &e)
		return nil, &agentError{status: resp.StatusCode, message: e.Error}
	}
	var c container
	if err := json.Unmarshal(body, &c); err != nil {
		return nil, fmt.Errorf("the node agent's answer about %s/%s: %w", ns, pod, err)
	}
	return &c, nil
}

// runtimeImpl is the container runtime behind one streaming request: the container (or pod)
// the node agent described when the request came, before the upgrade.
type runtimeImpl struct{ c *container }

func (r *runtimeImpl) ExecInContainer(ctx context.Context, name, uid, ctr string, cmd []string, in io.Reader, out, errOut io.WriteCloser, tty bool, resize <-chan remotecommand.TerminalSize, timeout time.Duration) error {
	args := append(append([]string{"netns", "exec", r.c.Netns}, r.c.Prefix...), cmd...)
	p := exec.CommandContext(ctx, "ip", args...)
	p.Dir = r.c.Cwd
	for k, v := range r.c.Env {
		p.Env = append(p.Env, k+"="+v)
	}
	var err error
	if tty {
		err = runWithTerminal(p, in, out, resize)
	} else {
		err = runWithPipes(p, in, out, errOut)
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code := exitErr.ExitCode()
		if ws, ok := exitErr.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			code = 128 + int(ws.Signal()) // as a shell and container runtimes report it
		}
		return utilexec.CodeExitError{Err: err, Code: code}
	}
	return err
}

func runWithPipes(p *exec.Cmd, in io.Reader, out, errOut io.Writer) error {
	if out != nil {
		p.Stdout = out
	}
	if errOut != nil {
		p.Stderr = errOut
	}
	if in == nil {
		return p.Run()
	}
	// stdin is copied by hand: the client may never close it, and the command's end must not
	// wait for it (exec.Cmd would, for a Reader that is not a file)
	w, err := p.StdinPipe()
	if err != nil {
		return err
	}
	if err := p.Start(); err != nil {
		return err
	}
	go func() {
		_, _ = io.Copy(w, in)
		_ = w.Close()
	}()
	return p.Wait()
}

func runWithTerminal(p *exec.Cmd, in io.Reader, out io.Writer, resize <-chan remotecommand.TerminalSize) error {
	term, err := pty.Start(p)
	if err != nil {
		return err
	}
	defer term.Close()
	go func() {
		for size := range resize {
			_ = pty.Setsize(term, &pty.Winsize{Rows: size.Height, Cols: size.Width})
		}
	}()
	if in != nil {
		go func() { _, _ = io.Copy(term, in) }()
	}
	if out != nil {
		_, _ = io.Copy(out, term) // ends with EIO once the command and its children are gone
	}
	return p.Wait()
}

// PortForward dials the port on the pod's loopback from inside its network namespace, as a
// container runtime does, so ports bound to localhost (Envoy's admin) are reachable too.
func (r *runtimeImpl) PortForward(ctx context.Context, name, uid string, port int32, stream io.ReadWriteCloser) error {
	defer stream.Close()
	conn, err := dialInNetns(r.c.Netns, port)
	if err != nil {
		return fmt.Errorf("pod %s port %d: %w", name, port, err)
	}
	defer conn.Close()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(conn, stream); done <- struct{}{} }()
	go func() { _, _ = io.Copy(stream, conn); done <- struct{}{} }()
	select {
	case <-done:
	case <-ctx.Done():
	}
	return nil
}

func dialInNetns(netns string, port int32) (net.Conn, error) {
	runtime.LockOSThread()
	own, err := os.Open(fmt.Sprintf("/proc/self/task/%d/ns/net", unix.Gettid()))
	if err != nil {
		runtime.UnlockOSThread()
		return nil, err
	}
	defer own.Close()
	target, err := os.Open("/run/netns/" + netns)
	if err != nil {
		runtime.UnlockOSThread()
		return nil, err
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		runtime.UnlockOSThread()
		return nil, fmt.Errorf("entering network namespace %s: %w", netns, err)
	}
	conn, dialErr := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), 5*time.Second)
	if err := unix.Setns(int(own.Fd()), unix.CLONE_NEWNET); err != nil {
		// the thread stays locked, so it ends with this goroutine rather than serve others in the pod's namespace
		return nil, fmt.Errorf("leaving network namespace %s: %w", netns, err)
	}
	runtime.UnlockOSThread()
	return conn, dialErr
}

// statusRuntime answers ReadLogs' one question while it follows a log: is that container
// instance still running? The rest of the CRI is never called.
type statusRuntime struct {
	internalapi.RuntimeService
	agent *agent
}

// containerID names one instance: namespace/pod/container/instance.
func (s *statusRuntime) ContainerStatus(ctx context.Context, id string, verbose bool) (*runtimeapi.ContainerStatusResponse, error) {
	parts := strings.Split(id, "/")
	state := runtimeapi.ContainerState_CONTAINER_EXITED
	if len(parts) == 4 {
		c, err := s.agent.container(parts[0], parts[1], parts[2], false)
		if err == nil && c.Running && strconv.Itoa(c.Instance) == parts[3] {
			state = runtimeapi.ContainerState_CONTAINER_RUNNING
		}
	}
	return &runtimeapi.ContainerStatusResponse{Status: &runtimeapi.ContainerStatus{Id: id, State: state}}, nil
}

// logOptions reads the apiserver's query (v1.PodLogOptions as parameters).
func logOptions(q url.Values, now time.Time) (*logs.LogOptions, bool, string, error) {
	opts := &logs.LogOptions{}
	flagOf := func(name string) (bool, error) {
		v := q.Get(name)
		if v == "" {
			return false, nil
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return false, fmt.Errorf("%s=%q is not a boolean", name, v)
		}
		return b, nil
	}
	intOf := func(name string) (*int64, error) {
		v := q.Get(name)
		if v == "" {
			return nil, nil
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s=%q is not a non-negative integer", name, v)
		}
		return &n, nil
	}
	var err error
	var previous bool
	if opts.Follow, err = flagOf("follow"); err != nil {
		return nil, false, "", err
	}
	if opts.Timestamp, err = flagOf("timestamps"); err != nil {
		return nil, false, "", err
	}
	if previous, err = flagOf("previous"); err != nil {
		return nil, false, "", err
	}
	if opts.TailLines, err = intOf("tailLines"); err != nil {
		return nil, false, "", err
	}
	if opts.LimitBytes, err = intOf("limitBytes"); err != nil {
		return nil, false, "", err
	}
	since, err := intOf("sinceSeconds")
	if err != nil {
		return nil, false, "", err
	}
	if since != nil {
		opts.Since = now.Add(-time.Duration(*since) * time.Second)
	}
	if v := q.Get("sinceTime"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, false, "", fmt.Errorf("sinceTime=%q is not an RFC 3339 time", v)
		}
		opts.Since = t
	}
	stream := q.Get("stream")
	if stream != "" && stream != "All" && stream != "Stdout" && stream != "Stderr" {
		return nil, false, "", fmt.Errorf("stream=%q is not one of All, Stdout, Stderr", stream)
	}
	return opts, previous, stream, nil
}

// flushWriter sends each write on at once, so `logs -f` shows a line as it is written.
type flushWriter struct {
	mu sync.Mutex
	w  io.Writer
	f  http.Flusher
}

func (fw *flushWriter) Write(p []byte) (int, error) {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	n, err := fw.w.Write(p)
	if fw.f != nil {
		fw.f.Flush()
	}
	return n, err
}

type server struct {
	node     string
	agent    *agent
	status   *statusRuntime
	authn    authenticator.Request
	authz    authorizer.Authorizer
	pods     kubernetes.Interface
	idle     time.Duration
	creation time.Duration
}

// subresources is the kubelet's rule: which nodes/<subresource> a path needs (any other: proxy).
var subresources = []struct{ prefix, name string }{
	{"/stats", "stats"}, {"/metrics", "metrics"}, {"/logs", "log"}, {"/spec", "spec"},
	{"/configz", "configz"}, {"/healthz", "healthz"}, {"/pods", "pods"},
}

func subresource(path string) string {
	for _, s := range subresources {
		if strings.HasPrefix(path, s.prefix) {
			return s.name
		}
	}
	return "proxy"
}

var verbs = map[string]string{"GET": "get", "HEAD": "get", "POST": "create", "PUT": "update", "PATCH": "patch", "DELETE": "delete"}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	resp, ok, err := s.authn.AuthenticateRequest(r)
	if err != nil || !ok {
		http.Error(w, "Unauthorized", http.StatusUnauthorized)
		return
	}
	verb := verbs[r.Method]
	if verb == "" {
		verb = strings.ToLower(r.Method)
	}
	// fine-grained first (nodes/pods, nodes/healthz, ...), then nodes/proxy, which grants every
	// path, as kubelets authorize since KubeletFineGrainedAuthz
	subresources := []string{"proxy"}
	if fine := subresource(r.URL.Path); fine != "proxy" {
		subresources = []string{fine, "proxy"}
	}
	var reasons []string
	for _, sub := range subresources {
		attrs := authorizer.AttributesRecord{
			User: resp.User, Verb: verb, APIGroup: "", APIVersion: "v1", Resource: "nodes",
			Subresource: sub, Name: s.node, ResourceRequest: true, Path: r.URL.Path,
		}
		decision, reason, err := s.authz.Authorize(r.Context(), attrs)
		if decision == authorizer.DecisionAllow {
			s.route(w, r)
			return
		}
		if err != nil {
			reason = err.Error()
		}
		if reason != "" {
			reasons = append(reasons, reason)
		}
	}
	msg := fmt.Sprintf("Forbidden (user=%s, verb=%s, resource=nodes, subresource=proxy)", resp.User.GetName(), verb)
	if len(reasons) > 0 {
		msg += ": " + strings.Join(reasons, "; ")
	}
	http.Error(w, msg, http.StatusForbidden)
}

func (s *server) route(w http.ResponseWriter, r *http.Request) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	fail := func(err error) {
		var ae *agentError
		if errors.As(err, &ae) {
			http.Error(w, ae.message, ae.status)
			return
		}
		http.Error(w, err.Error(), http.StatusBadRequest)
	}
	switch {
	case r.URL.Path == "/healthz":
		_, _ = io.WriteString(w, "ok")
	case r.URL.Path == "/pods" || r.URL.Path == "/pods/":
		list, err := s.pods.CoreV1().Pods("").List(r.Context(), metav1.ListOptions{FieldSelector: "spec.nodeName=" + s.node})
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		list.Kind, list.APIVersion = "PodList", "v1"
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(list)
	case (parts[0] == "exec" || parts[0] == "attach") && len(parts) == 4:
		if parts[0] == "attach" {
			http.Error(w, fmt.Sprintf("attach to container %q of pod %s/%s: the local node runs containers as processes without a console to attach to; use exec", parts[3], parts[1], parts[2]), http.StatusBadRequest)
			return
		}
		// asked up front, so a simulated or stopped container is refused before the upgrade
		c, err := s.agent.container(parts[1], parts[2], parts[3], false)
		if err != nil {
			fail(err)
			return
		}
		if !c.Running {
			http.Error(w, fmt.Sprintf("container %q in pod %s/%s is not running", parts[3], parts[1], parts[2]), http.StatusBadRequest)
			return
		}
		opts, err := remotecommand.NewOptions(r)
		if err != nil {
			fail(err)
			return
		}
		remotecommand.ServeExec(w, r, &runtimeImpl{c: c}, parts[1]+"/"+parts[2], "", parts[3], r.URL.Query()["command"], opts, s.idle, s.creation, remotecommand.SupportedStreamingProtocols)
	case parts[0] == "portForward" && len(parts) == 3:
		c, err := s.agent.container(parts[1], parts[2], "", false)
		if err != nil {
			fail(err)
			return
		}
		opts, err := portforward.NewV4Options(r)
		if err != nil {
			fail(err)
			return
		}
		portforward.ServePortForward(w, r, &runtimeImpl{c: c}, parts[1]+"/"+parts[2], "", opts, s.idle, s.creation, portforward.SupportedProtocols)
	case parts[0] == "containerLogs" && len(parts) == 4:
		opts, previous, stream, err := logOptions(r.URL.Query(), time.Now())
		if err != nil {
			fail(err)
			return
		}
		c, err := s.agent.container(parts[1], parts[2], parts[3], previous)
		if err != nil {
			fail(err)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusOK)
		f, _ := w.(http.Flusher)
		out := &flushWriter{w: w, f: f}
		var stdout, stderr io.Writer = out, out
		if stream == "Stdout" {
			stderr = io.Discard
		} else if stream == "Stderr" {
			stdout = io.Discard
		}
		id := fmt.Sprintf("%s/%s/%s/%d", parts[1], parts[2], parts[3], c.Instance)
		if err := logs.ReadLogs(r.Context(), c.LogPath, id, opts, s.status, stdout, stderr); err != nil && r.Context().Err() == nil {
			fmt.Fprintf(out, "error reading the log of %s/%s/%s: %v\n", parts[1], parts[2], parts[3], err)
		}
	default:
		http.NotFound(w, r)
	}
}

// listenFlag is a repeatable --listen <address>=<node name>: the real node, and the address
// the kwok node reports, whose pods are all simulated (the agent says so per request).
type listenFlag map[string]string

func (l listenFlag) String() string { return fmt.Sprint(map[string]string(l)) }
func (l listenFlag) Set(v string) error {
	addr, node, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("--listen wants <address:port>=<node name>, got %q", v)
	}
	l[addr] = node
	return nil
}

func main() {
	listen := listenFlag{}
	flag.Var(listen, "listen", "address:port=node name (repeatable)")
	kubeconfig := flag.String("kubeconfig", "", "kubeconfig for TokenReview, SubjectAccessReview and /pods")
	clientCA := flag.String("client-ca-file", "", "CA bundle that signs client certificates")
	cert := flag.String("tls-cert-file", "", "serving certificate")
	key := flag.String("tls-private-key-file", "", "serving key")
	agentURL := flag.String("agent", "", "the node agent's private API, http://host:port")
	flag.Parse()
	if err := run(listen, *kubeconfig, *clientCA, *cert, *key, *agentURL); err != nil {
		fmt.Fprintln(os.Stderr, "kubelet-api:", err)
		os.Exit(1)
	}
}

func run(listen listenFlag, kubeconfig, clientCA, cert, key, agentURL string) error {
	if len(listen) == 0 {
		return errors.New("no --listen address")
	}
	config, err := clientcmd.BuildConfigFromFlags("", kubeconfig)
	if err != nil {
		return err
	}
	client, err := kubernetes.NewForConfig(config)
	if err != nil {
		return err
	}
	ca, err := dynamiccertificates.NewDynamicCAContentFromFile("client-ca", clientCA)
	if err != nil {
		return err
	}
	backoff := &wait.Backoff{Duration: 500 * time.Millisecond, Factor: 1.5, Jitter: 0.2, Steps: 5}
	authn, _, err := authenticatorfactory.DelegatingAuthenticatorConfig{
		Anonymous:                          &apiserver.AnonymousAuthConfig{Enabled: false},
		TokenAccessReviewClient:            client.AuthenticationV1(),
		TokenAccessReviewTimeout:           10 * time.Second,
		WebhookRetryBackoff:                backoff,
		CacheTTL:                           2 * time.Minute,
		ClientCertificateCAContentProvider: ca,
	}.New()
	if err != nil {
		return err
	}
	authz, err := authorizerfactory.DelegatingAuthorizerConfig{
		SubjectAccessReviewClient: client.AuthorizationV1(),
		AllowCacheTTL:             5 * time.Minute,
		DenyCacheTTL:              10 * time.Second,
		WebhookRetryBackoff:       backoff,
	}.New()
	if err != nil {
		return err
	}
	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		return err
	}
	a := &agent{base: agentURL, client: &http.Client{Timeout: 10 * time.Second}}
	errs := make(chan error, len(listen))
	for addr, node := range listen {
		s := &server{node: node, agent: a, status: &statusRuntime{agent: a}, authn: authn, authz: authz, pods: client, idle: 4 * time.Hour, creation: remotecommand.DefaultStreamCreationTimeout}
		hs := &http.Server{
			Addr:    addr,
			Handler: s,
			// the apiserver presents its kubelet-client certificate; the authenticator verifies it
			TLSConfig: &tls.Config{Certificates: []tls.Certificate{pair}, ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12},
			// SPDY upgrades need HTTP/1.1
			TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return err
		}
		go func() { errs <- hs.ServeTLS(ln, "", "") }()
	}
	fmt.Println("ready")
	return <-errs
}
