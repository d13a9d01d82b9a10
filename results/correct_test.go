package results

import "testing"

func TestEncodeCorrectByHand(t *testing.T) {
	// Examples 0 and 2 right: bits 0b101 = byte 0x05, base64 "BQ==".
	if got := EncodeCorrect([]bool{true, false, true}); got != "3:BQ==" {
		t.Errorf("EncodeCorrect = %q, want 3:BQ==", got)
	}
	// 9 examples, all right: bytes 0xFF 0x01 = base64 "/wE=".
	all := []bool{true, true, true, true, true, true, true, true, true}
	if got := EncodeCorrect(all); got != "9:/wE=" {
		t.Errorf("EncodeCorrect(9 × true) = %q, want 9:/wE=", got)
	}
	if EncodeCorrect(nil) != "" {
		t.Error("no examples must encode to the empty string")
	}
	for _, in := range [][]bool{all, {false}, {true, false, true, true, false, false, false, true, false, true}} {
		out, err := DecodeCorrect(EncodeCorrect(in))
		if err != nil || len(out) != len(in) {
			t.Fatalf("round trip of %v: %v, %v", in, out, err)
		}
		for i := range in {
			if out[i] != in[i] {
				t.Errorf("round trip of %v: %v", in, out)
			}
		}
	}
	if out, err := DecodeCorrect(""); out != nil || err != nil {
		t.Errorf("empty = %v, %v", out, err)
	}
	for _, bad := range []string{"BQ==", "x:BQ==", "3:%%", "20:BQ==", "2:BQ=="} {
		if _, err := DecodeCorrect(bad); err == nil {
			t.Errorf("DecodeCorrect(%q) accepted", bad)
		}
	}
}
