// Command devmongo is the local MongoDB-compatible server: embedded FerretDB (SQLite backend)
// behind a command gate that runs one command at a time. Local development and tests only.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

const (
	// replyTimeout is how long one command may take in the backend before the gate gives up
	// on it, closes that client's connection and releases the lock.
	replyTimeout = 30 * time.Second

	readyTimeout = 15 * time.Second
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "address the gate listens on")
	dataDir := flag.String("data-dir", "", "directory holding the SQLite files (created if missing)")
	logLevel := flag.String("log-level", "info", "info or debug (debug adds one line per closed connection)")
	flag.Parse()

	if err := run(*listen, *dataDir, *logLevel); err != nil {
		fmt.Fprintf(os.Stderr, "devmongo: %s\n", err)
		os.Exit(1)
	}
}

func run(listen, dataDir, logLevel string) error {
	var level slog.Level
	switch logLevel {
	case "info":
		level = slog.LevelInfo
	case "debug":
		level = slog.LevelDebug
	default:
		return fmt.Errorf("--log-level must be info or debug, not %q", logLevel)
	}

	if dataDir == "" {
		return errors.New("--data-dir is required")
	}

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ln, err := net.Listen("tcp", listen)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) {
			err = opErr.Err
		}

		return fmt.Errorf("cannot listen on %s: %w", listen, err)
	}
	defer ln.Close()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	backend, err := startFerretDB(dataDir)
	if err != nil {
		return err
	}

	backendCtx, stopBackend := context.WithCancel(context.Background())
	backendDone := make(chan struct{})

	go func() {
		defer close(backendDone)
		_ = backend.Run(backendCtx)
	}()

	g := newGate(backendAddr(backend), replyTimeout, log)
	gateDone := make(chan struct{})

	go func() {
		defer close(gateDone)
		g.serve(ln)
	}()

	shutdown := func() {
		ln.Close()
		<-gateDone
		g.shutdown()
		stopBackend()
		<-backendDone
	}

	if err := waitForPing(ctx, ln.Addr().String()); err != nil {
		shutdown()

		if ctx.Err() != nil {
			return nil
		}

		return err
	}

	fmt.Printf("ready on %s\n", ln.Addr())

	<-ctx.Done()
	log.Info("shutting down")
	shutdown()

	return nil
}

// startFerretDB starts FerretDB on a loopback port of its own choosing; only the gate talks to it.
func startFerretDB(dataDir string) (*ferretdb.FerretDB, error) {
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, err
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot create data dir: %w", err)
	}

	// FerretDB logs each backend connection at info and each failed command's whole response
	// at warn (PyMongo's endSessions, unsupported here, on every client close); clients see
	// their errors anyway and the gate logs connections, so only FerretDB's errors are kept.
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Logger:    quiet,
		Handler:   "sqlite",
		SQLiteURL: (&url.URL{Scheme: "file", Path: dir + "/"}).String(),
	})
	if err != nil {
		return nil, fmt.Errorf("cannot start FerretDB: %w", err)
	}

	return f, nil
}

func backendAddr(f *ferretdb.FerretDB) string {
	u, _ := url.Parse(f.MongoDBURI())

	return u.Host
}

// okTrue is the BSON element {ok: 1.0} of a successful reply.
var okTrue = []byte{0x01, 'o', 'k', 0x00, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f}

// waitForPing pings through the gate until the backend answers, proving the whole path works.
func waitForPing(ctx context.Context, addr string) error {
	deadline := time.Now().Add(readyTimeout)

	for {
		err := ping(addr)
		if err == nil {
			return nil
		}

		if time.Now().After(deadline) {
			return fmt.Errorf("FerretDB did not answer ping within %s: %w", readyTimeout, err)
		}

		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()

	if err := conn.SetDeadline(time.Now().Add(2 * time.Second)); err != nil {
		return err
	}

	if _, err := conn.Write(newOpMsg(1, 0, pingDocument())); err != nil {
		return err
	}

	reply, err := readMessage(conn)
	if err != nil {
		return err
	}

	if !bytes.Contains(reply, okTrue) {
		return errors.New("ping reply is not ok")
	}

	return nil
}
