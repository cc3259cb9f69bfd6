package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"net"
	"testing"
)

func TestReadMessageReassemblesAMessageSplitAcrossWrites(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	defer server.Close()

	want := newOpMsg(7, 0, pingDocument())

	go func() {
		for _, b := range want {
			_, _ = client.Write([]byte{b})
		}
	}()

	got, err := readMessage(server)
	if err != nil {
		t.Fatal(err)
	}

	if !bytes.Equal(got, want) || got.requestID() != 7 || got.opCode() != opMsg {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestReadMessageRejectsLengthsOutsideTheProtocolLimits(t *testing.T) {
	for _, length := range []uint32{0, headerLen - 1, maxMessageLen + 1, 0xffffffff} {
		header := make([]byte, headerLen)
		binary.LittleEndian.PutUint32(header, length)

		if _, err := readMessage(bytes.NewReader(header)); err == nil {
			t.Errorf("length %d accepted", length)
		}
	}
}

func TestReadMessageAcceptsTheLargestAllowedMessage(t *testing.T) {
	msg := make([]byte, maxMessageLen)
	binary.LittleEndian.PutUint32(msg, maxMessageLen)

	got, err := readMessage(bytes.NewReader(msg))
	if err != nil || len(got) != maxMessageLen {
		t.Fatalf("len %d, err %v", len(got), err)
	}
}

func TestReadMessageReportsATruncatedMessage(t *testing.T) {
	msg := newOpMsg(1, 0, pingDocument())

	_, err := readMessage(bytes.NewReader(msg[:len(msg)-3]))
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("got %v, want unexpected EOF", err)
	}

	_, err = readMessage(bytes.NewReader(nil))
	if !errors.Is(err, io.EOF) {
		t.Fatalf("got %v, want EOF on a clean close", err)
	}
}

func TestSetFlagsRecomputesThePresentChecksum(t *testing.T) {
	msg := newOpMsg(1, flagChecksumPresent|flagMoreToCome, append(pingDocument(), 0, 0, 0, 0))
	binary.LittleEndian.PutUint32(msg[0:4], uint32(len(msg)))

	msg.setFlags(flagChecksumPresent)

	flags, ok := msg.flags()
	if !ok || flags != flagChecksumPresent {
		t.Fatalf("flags %b", flags)
	}

	end := len(msg) - 4
	want := crc32.Checksum(msg[:end], crc32.MakeTable(crc32.Castagnoli))

	if got := binary.LittleEndian.Uint32(msg[end:]); got != want {
		t.Fatalf("checksum %x, want %x", got, want)
	}
}

func TestPingDocumentIsValidBSON(t *testing.T) {
	doc := pingDocument()

	if got := binary.LittleEndian.Uint32(doc); int(got) != len(doc) || doc[len(doc)-1] != 0 {
		t.Fatalf("document length %d for %d bytes", got, len(doc))
	}

	if !bytes.Contains(doc, []byte("\x10ping\x00\x01\x00\x00\x00")) {
		t.Fatal("no ping: 1 element")
	}
}
