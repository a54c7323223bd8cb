package chromium

import (
	"bufio"
	"bytes"
	"net"
	"strings"
	"testing"
)

// A frame the client writes is read back, unmasked, whatever its length
// encoding (7 bits, 16 bits, 64 bits); fragments join into one message;
// a ping is answered with a pong carrying its payload.
func TestFrames(t *testing.T) {
	for _, n := range []int{0, 5, 125, 126, 65535, 65536, 200000} {
		a, b := net.Pipe()
		client := &wsConn{conn: a, r: bufio.NewReader(a)}
		server := &wsConn{conn: b, r: bufio.NewReader(b)}
		msg := []byte(strings.Repeat("x", n))
		go func() { client.write(msg) }()
		got, err := server.read()
		if err != nil || !bytes.Equal(got, msg) {
			t.Errorf("%d bytes: got %d bytes, %v", n, len(got), err)
		}
		a.Close()
		b.Close()
	}

	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	client := &wsConn{conn: a, r: bufio.NewReader(a)}
	// Unmasked frames from the server: "he" (not final), a ping, "llo".
	go func() {
		b.Write([]byte{0x01, 2, 'h', 'e'})
		b.Write([]byte{0x89, 1, 'p'})
		pong := make([]byte, 7) // 2 header bytes, 4 of mask, 1 of payload
		if _, err := b.Read(pong); err != nil || pong[0] != 0x8A || pong[6]^pong[2] != 'p' {
			t.Errorf("pong %v, %v", pong, err)
		}
		b.Write([]byte{0x80, 3, 'l', 'l', 'o'})
	}()
	got, err := client.read()
	if err != nil || string(got) != "hello" {
		t.Errorf("got %q, %v", got, err)
	}
}
