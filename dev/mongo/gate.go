package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"time"
)

// gate relays MongoDB wire messages between clients and the backend (FerretDB) and lets only
// one command reach the backend at a time: FerretDB 1.x applies an update as read, modify in
// Go, write back, outside any transaction, so two concurrent updates of one document lose one.
type gate struct {
	backendAddr string

	// replyTimeout bounds sending one request to the backend and reading its reply, so a
	// stuck backend cannot hold the lock forever.
	replyTimeout time.Duration

	log *slog.Logger

	// lock is held from writing a request to the backend until its reply has been read.
	lock sync.Mutex

	connsMu sync.Mutex
	conns   map[net.Conn]struct{}
	closing bool
	relays  sync.WaitGroup
}

func newGate(backendAddr string, replyTimeout time.Duration, log *slog.Logger) *gate {
	return &gate{
		backendAddr:  backendAddr,
		replyTimeout: replyTimeout,
		log:          log,
		conns:        make(map[net.Conn]struct{}),
	}
}

// serve accepts clients until ln is closed.
func (g *gate) serve(ln net.Listener) {
	for {
		client, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}

			g.log.Warn("accept failed", "error", err)
			time.Sleep(100 * time.Millisecond)

			continue
		}

		if !g.track(client) {
			client.Close()

			return
		}

		g.relays.Add(1)

		go func() {
			defer g.relays.Done()
			g.relay(client)
		}()
	}
}

// shutdown waits for the command in flight, closes every connection and waits for the relays.
// The caller closes the listener first.
func (g *gate) shutdown() {
	g.lock.Lock()
	g.connsMu.Lock()
	g.closing = true

	for conn := range g.conns {
		conn.Close()
	}

	g.connsMu.Unlock()
	g.lock.Unlock()
	g.relays.Wait()
}

func (g *gate) track(conn net.Conn) bool {
	g.connsMu.Lock()
	defer g.connsMu.Unlock()

	if g.closing {
		return false
	}

	g.conns[conn] = struct{}{}

	return true
}

func (g *gate) untrack(conn net.Conn) {
	g.connsMu.Lock()
	delete(g.conns, conn)
	g.connsMu.Unlock()
	conn.Close()
}

// relay serves one client over its own backend connection until either side closes.
func (g *gate) relay(client net.Conn) {
	defer g.untrack(client)

	start := time.Now()
	requests := 0

	err := func() error {
		backend, err := net.DialTimeout("tcp", g.backendAddr, g.replyTimeout)
		if err != nil {
			return fmt.Errorf("backend: %w", err)
		}

		if !g.track(backend) {
			backend.Close()

			return errors.New("shutting down")
		}
		defer g.untrack(backend)

		clientReader := bufio.NewReader(client)

		for {
			req, err := readMessage(clientReader)
			if err != nil {
				return fmt.Errorf("client: %w", err)
			}

			requests++

			if err := g.forward(client, backend, req); err != nil {
				return err
			}
		}
	}()

	reason := "client closed"
	if !errors.Is(err, io.EOF) {
		reason = err.Error()
	}

	g.log.Debug("connection closed",
		"client", client.RemoteAddr().String(), "requests", requests,
		"duration", time.Since(start).Round(time.Millisecond).String(), "reason", reason)
}

// forward sends one client request to the backend and passes its reply back, if the client
// wants one.
//
// Every request the backend sees has moreToCome and exhaustAllowed cleared, so it always gets
// exactly one reply: FerretDB 1.24 answers even moreToCome requests, and an unread answer
// would be taken for the reply to the connection's next request. The gate reads that reply
// under the lock (so a fire-and-forget write also runs alone) and drops it.
func (g *gate) forward(client, backend net.Conn, req message) error {
	wantsReply := true

	switch req.opCode() {
	case opMsg:
		flags, ok := req.flags()
		if !ok {
			return errors.New("client: truncated OP_MSG")
		}

		wantsReply = flags&flagMoreToCome == 0
		req.setFlags(flags &^ (flagMoreToCome | flagExhaustAllowed))
	case opQuery:
		// legacy handshake of older drivers; always answered with OP_REPLY
	default:
		// compression is never negotiated and legacy write op codes are gone since MongoDB 6
		return fmt.Errorf("client: unsupported op code %d", req.opCode())
	}

	reply, err := g.roundTrip(backend, req)
	if err != nil {
		return fmt.Errorf("backend: %w", err)
	}

	if !wantsReply {
		return nil
	}

	if _, err := client.Write(reply); err != nil {
		return fmt.Errorf("client: %w", err)
	}

	return nil
}

// roundTrip writes req to the backend and reads its reply while holding the lock.
func (g *gate) roundTrip(backend net.Conn, req message) (message, error) {
	g.lock.Lock()
	defer g.lock.Unlock()

	if err := backend.SetDeadline(time.Now().Add(g.replyTimeout)); err != nil {
		return nil, err
	}

	if _, err := backend.Write(req); err != nil {
		return nil, err
	}

	reply, err := readMessage(backend)
	if err != nil {
		var netErr net.Error
		if errors.As(err, &netErr) && netErr.Timeout() {
			g.log.Warn("backend reply timed out; closing the connection",
				"timeout", g.replyTimeout.String())
		}

		return nil, err
	}

	if reply.responseTo() != req.requestID() {
		return nil, fmt.Errorf("reply to request %d, expected %d", reply.responseTo(), req.requestID())
	}

	if flags, ok := reply.flags(); ok && flags&flagMoreToCome != 0 {
		return nil, errors.New("streamed reply although exhaustAllowed was cleared")
	}

	return reply, nil
}
