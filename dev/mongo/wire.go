package main

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
)

// MongoDB wire protocol framing: a 16-byte header (messageLength, requestID, responseTo,
// opCode, all little-endian int32), then the body. The gate never parses BSON.
const (
	headerLen = 16

	// maxMessageLen matches MongoDB's (and FerretDB's) maxMessageSizeBytes.
	maxMessageLen = 48_000_000

	opReply = 1
	opQuery = 2004
	opMsg   = 2013

	flagChecksumPresent = uint32(1) << 0
	flagMoreToCome      = uint32(1) << 1
	flagExhaustAllowed  = uint32(1) << 16
)

// message is one whole wire message, header included.
type message []byte

// readMessage reads exactly one message, refusing lengths outside [headerLen, maxMessageLen]
// before allocating anything.
func readMessage(r io.Reader) (message, error) {
	var header [headerLen]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, err
	}

	length := int32(binary.LittleEndian.Uint32(header[0:4]))
	if length < headerLen || length > maxMessageLen {
		return nil, fmt.Errorf("invalid message length %d", length)
	}

	msg := make(message, length)
	copy(msg, header[:])

	if _, err := io.ReadFull(r, msg[headerLen:]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}

		return nil, err
	}

	return msg, nil
}

func (m message) requestID() int32  { return int32(binary.LittleEndian.Uint32(m[4:8])) }
func (m message) responseTo() int32 { return int32(binary.LittleEndian.Uint32(m[8:12])) }
func (m message) opCode() int32     { return int32(binary.LittleEndian.Uint32(m[12:16])) }

// flags returns the OP_MSG flag bits; ok is false for other op codes or a truncated body.
func (m message) flags() (flags uint32, ok bool) {
	if m.opCode() != opMsg || len(m) < headerLen+4 {
		return 0, false
	}

	return binary.LittleEndian.Uint32(m[headerLen : headerLen+4]), true
}

// setFlags rewrites the OP_MSG flag bits in place, recomputing the CRC-32C checksum when
// one is present (it covers the whole message, flags included).
func (m message) setFlags(flags uint32) {
	binary.LittleEndian.PutUint32(m[headerLen:headerLen+4], flags)

	if flags&flagChecksumPresent != 0 && len(m) >= headerLen+8 {
		end := len(m) - 4
		sum := crc32.Checksum(m[:end], crc32.MakeTable(crc32.Castagnoli))
		binary.LittleEndian.PutUint32(m[end:], sum)
	}
}

// newOpMsg builds an OP_MSG with one body section holding the given BSON document.
func newOpMsg(requestID int32, flags uint32, document []byte) message {
	length := headerLen + 4 + 1 + len(document)
	msg := make(message, length)
	binary.LittleEndian.PutUint32(msg[0:4], uint32(length))
	binary.LittleEndian.PutUint32(msg[4:8], uint32(requestID))
	binary.LittleEndian.PutUint32(msg[12:16], opMsg)
	binary.LittleEndian.PutUint32(msg[16:20], flags)
	msg[20] = 0 // section kind 0: body
	copy(msg[21:], document)

	return msg
}

// pingDocument is the BSON encoding of {ping: 1, $db: "admin"}.
func pingDocument() []byte {
	doc := []byte{0, 0, 0, 0}
	doc = append(doc, 0x10)
	doc = append(doc, "ping\x00"...)
	doc = binary.LittleEndian.AppendUint32(doc, 1)
	doc = append(doc, 0x02)
	doc = append(doc, "$db\x00"...)
	doc = binary.LittleEndian.AppendUint32(doc, uint32(len("admin\x00")))
	doc = append(doc, "admin\x00"...)
	doc = append(doc, 0x00)
	binary.LittleEndian.PutUint32(doc[0:4], uint32(len(doc)))

	return doc
}
