package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeBackend answers every request like FerretDB 1.24 does (moreToCome included), unless
// answer says otherwise, and records what reached it.
type fakeBackend struct {
	addr string

	// answer returns false to leave a request unanswered; nil answers everything at once.
	answer func(req message) bool

	mu       sync.Mutex
	seen     []message
	inFlight atomic.Int32
	maxSeen  atomic.Int32
}

func startFakeBackend(t *testing.T, answer func(req message) bool) *fakeBackend {
	t.Helper()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })

	b := &fakeBackend{addr: ln.Addr().String(), answer: answer}

	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}

			t.Cleanup(func() { conn.Close() })

			go b.serve(conn)
		}
	}()

	return b
}

func (b *fakeBackend) serve(conn net.Conn) {
	for {
		req, err := readMessage(conn)
		if err != nil {
			return
		}

		n := b.inFlight.Add(1)
		for seen := b.maxSeen.Load(); n > seen && !b.maxSeen.CompareAndSwap(seen, n); seen = b.maxSeen.Load() {
		}

		b.mu.Lock()
		b.seen = append(b.seen, req)
		b.mu.Unlock()

		answered := b.answer == nil || b.answer(req)

		b.inFlight.Add(-1)

		if !answered {
			continue
		}

		if _, err := conn.Write(replyTo(req)); err != nil {
			return
		}
	}
}

func (b *fakeBackend) requests() []message {
	b.mu.Lock()
	defer b.mu.Unlock()

	return append([]message(nil), b.seen...)
}

// waitForRequests waits until the backend has seen n requests.
func (b *fakeBackend) waitForRequests(t *testing.T, n int) {
	t.Helper()

	for deadline := time.Now().Add(5 * time.Second); len(b.requests()) < n; {
		if time.Now().After(deadline) {
			t.Fatalf("backend saw %d requests, want %d", len(b.requests()), n)
		}

		time.Sleep(5 * time.Millisecond)
	}
}

func replyTo(req message) message {
	reply := newOpMsg(req.requestID()+1000, 0, pingDocument())
	binary.LittleEndian.PutUint32(reply[8:12], uint32(req.requestID()))

	return reply
}

func startGate(t *testing.T, backendAddr string, timeout time.Duration) (string, *gate) {
	t.Helper()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}

	g := newGate(backendAddr, timeout, slog.New(slog.NewTextHandler(io.Discard, nil)))
	done := make(chan struct{})

	go func() {
		defer close(done)
		g.serve(ln)
	}()

	t.Cleanup(func() {
		ln.Close()
		<-done
		g.shutdown()
	})

	return ln.Addr().String(), g
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })

	return conn
}

func send(t *testing.T, conn net.Conn, msg message) {
	t.Helper()

	if _, err := conn.Write(msg); err != nil {
		t.Fatal(err)
	}
}

func receive(t *testing.T, conn net.Conn, within time.Duration) message {
	t.Helper()

	_ = conn.SetReadDeadline(time.Now().Add(within))

	reply, err := readMessage(conn)
	if err != nil {
		t.Fatalf("no reply within %s: %v", within, err)
	}

	return reply
}

func expectClosed(t *testing.T, conn net.Conn, within time.Duration) {
	t.Helper()

	_ = conn.SetReadDeadline(time.Now().Add(within))

	reply, err := readMessage(conn)
	if err == nil {
		t.Fatalf("got a reply to %d, want the connection closed", reply.responseTo())
	}

	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		t.Fatalf("connection still open after %s", within)
	}
}

func TestRequestsAndRepliesPassThroughUnchanged(t *testing.T) {
	backend := startFakeBackend(t, nil)
	addr, _ := startGate(t, backend.addr, time.Second)
	conn := dial(t, addr)

	req := newOpMsg(42, 0, pingDocument())
	send(t, conn, req)

	if reply := receive(t, conn, time.Second); !bytes.Equal(reply, replyTo(req)) {
		t.Fatalf("reply %v", reply)
	}

	if seen := backend.requests(); len(seen) != 1 || !bytes.Equal(seen[0], req) {
		t.Fatalf("backend saw %v", seen)
	}
}

func TestMoreToComeRequestGetsNoReplyAndTheNextReplyMatchesItsRequest(t *testing.T) {
	backend := startFakeBackend(t, nil)
	addr, _ := startGate(t, backend.addr, time.Second)
	conn := dial(t, addr)

	send(t, conn, newOpMsg(1, flagMoreToCome, pingDocument()))
	send(t, conn, newOpMsg(2, 0, pingDocument()))

	if reply := receive(t, conn, time.Second); reply.responseTo() != 2 {
		t.Fatalf("first reply answers request %d, want 2", reply.responseTo())
	}

	_ = conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	if extra, err := readMessage(conn); err == nil {
		t.Fatalf("unexpected extra reply to %d", extra.responseTo())
	}

	seen := backend.requests()
	if len(seen) != 2 {
		t.Fatalf("backend saw %d requests, want 2", len(seen))
	}

	if flags, _ := seen[0].flags(); flags != 0 {
		t.Fatalf("backend saw flags %b, want moreToCome cleared", flags)
	}
}

func TestExhaustAllowedIsClearedSoTheBackendCannotStream(t *testing.T) {
	backend := startFakeBackend(t, nil)
	addr, _ := startGate(t, backend.addr, time.Second)
	conn := dial(t, addr)

	send(t, conn, newOpMsg(5, flagExhaustAllowed, pingDocument()))
	receive(t, conn, time.Second)

	if flags, _ := backend.requests()[0].flags(); flags != 0 {
		t.Fatalf("backend saw flags %b, want exhaustAllowed cleared", flags)
	}
}

func TestCommandsReachTheBackendOneAtATime(t *testing.T) {
	backend := startFakeBackend(t, func(message) bool {
		time.Sleep(2 * time.Millisecond)

		return true
	})
	addr, _ := startGate(t, backend.addr, time.Second)

	const clients, perClient = 20, 5

	var wg sync.WaitGroup

	errs := make(chan error, clients)

	for c := range clients {
		conn := dial(t, addr)

		wg.Add(1)

		go func() {
			defer wg.Done()

			for i := range perClient {
				id := int32(c*100 + i)
				if _, err := conn.Write(newOpMsg(id, 0, pingDocument())); err != nil {
					errs <- err
					return
				}

				_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))

				reply, err := readMessage(conn)
				if err != nil || reply.responseTo() != id {
					errs <- errors.Join(err, errors.New("reply to the wrong request"))
					return
				}
			}
		}()
	}

	wg.Wait()
	close(errs)

	for err := range errs {
		t.Fatal(err)
	}

	if got := len(backend.requests()); got != clients*perClient {
		t.Fatalf("backend saw %d requests, want %d", got, clients*perClient)
	}

	if got := backend.maxSeen.Load(); got != 1 {
		t.Fatalf("%d commands ran at once, want 1", got)
	}
}

func TestStuckBackendReleasesTheLockAfterTheReplyTimeout(t *testing.T) {
	stuck := []byte("stuck")
	backend := startFakeBackend(t, func(req message) bool { return !bytes.Contains(req, stuck) })
	addr, _ := startGate(t, backend.addr, 300*time.Millisecond)

	first := dial(t, addr)
	send(t, first, newOpMsg(1, 0, append(pingDocument(), stuck...)))
	backend.waitForRequests(t, 1)

	second := dial(t, addr)
	start := time.Now()
	send(t, second, newOpMsg(2, 0, pingDocument()))
	receive(t, second, 2*time.Second)

	if waited := time.Since(start); waited < 100*time.Millisecond {
		t.Fatalf("second command did not wait for the stuck one (%s)", waited)
	}

	expectClosed(t, first, time.Second)
}

func TestHalfSentMessageDoesNotHoldTheLock(t *testing.T) {
	backend := startFakeBackend(t, nil)
	addr, _ := startGate(t, backend.addr, 10*time.Second)

	partial := dial(t, addr)
	send(t, partial, newOpMsg(1, 0, pingDocument())[:10])

	other := dial(t, addr)
	send(t, other, newOpMsg(2, 0, pingDocument()))
	receive(t, other, time.Second)
}

func TestClientLeavingBeforeItsReplyLeavesTheLockFree(t *testing.T) {
	backend := startFakeBackend(t, func(message) bool {
		time.Sleep(100 * time.Millisecond)

		return true
	})
	addr, _ := startGate(t, backend.addr, 10*time.Second)

	leaver := dial(t, addr)
	send(t, leaver, newOpMsg(1, 0, pingDocument()))
	leaver.Close()

	other := dial(t, addr)
	send(t, other, newOpMsg(2, 0, pingDocument()))
	receive(t, other, time.Second)
}

func TestBackendClosingClosesTheClientAndFreesTheLock(t *testing.T) {
	var calls atomic.Int32

	backend := startFakeBackend(t, func(message) bool { return calls.Add(1) > 1 })
	addr, g := startGate(t, backend.addr, 10*time.Second)

	victim := dial(t, addr)
	send(t, victim, newOpMsg(1, 0, pingDocument()))

	// the fake keeps that connection open; closing it is what a crashed backend looks like
	backend.waitForRequests(t, 1)
	g.connsMu.Lock()
	for conn := range g.conns {
		if conn.RemoteAddr().String() == backend.addr {
			conn.Close()
		}
	}
	g.connsMu.Unlock()

	expectClosed(t, victim, time.Second)

	other := dial(t, addr)
	send(t, other, newOpMsg(2, 0, pingDocument()))
	receive(t, other, time.Second)
}

func TestUnsupportedOpCodeClosesTheConnection(t *testing.T) {
	backend := startFakeBackend(t, nil)
	addr, _ := startGate(t, backend.addr, time.Second)
	conn := dial(t, addr)

	compressed := newOpMsg(1, 0, pingDocument())
	binary.LittleEndian.PutUint32(compressed[12:16], 2012)
	send(t, conn, compressed)

	expectClosed(t, conn, time.Second)

	if seen := backend.requests(); len(seen) != 0 {
		t.Fatalf("backend saw %d requests", len(seen))
	}
}

func TestOversizedMessageClosesTheConnection(t *testing.T) {
	backend := startFakeBackend(t, nil)
	addr, _ := startGate(t, backend.addr, time.Second)
	conn := dial(t, addr)

	header := make([]byte, headerLen)
	binary.LittleEndian.PutUint32(header, maxMessageLen+1)
	send(t, conn, header)

	expectClosed(t, conn, time.Second)
}

func TestShutdownClosesClientConnections(t *testing.T) {
	backend := startFakeBackend(t, nil)
	addr, g := startGate(t, backend.addr, time.Second)
	conn := dial(t, addr)

	send(t, conn, newOpMsg(1, 0, pingDocument()))
	receive(t, conn, time.Second)

	g.shutdown()
	expectClosed(t, conn, time.Second)
}
