package stage

// Vertex is one corner of a textured, tinted triangle. Its fields are, in
// name, type and order, those of ebiten.Vertex (v2.8), so the wasm renderer
// hands View buffers to DrawTriangles without copying; it asserts the
// identity at compile time with a struct conversion. This package stays
// free of Ebiten.
type Vertex struct {
	DstX, DstY                         float32 // device pixels
	SrcX, SrcY                         float32 // texels of the shared sprite
	ColorR, ColorG, ColorB, ColorA     float32 // straight alpha, 0..1
	Custom0, Custom1, Custom2, Custom3 float32 // unused (shader inputs)
}

// SpriteSize is the edge, in texels, of the one white sprite image every
// particle and decoration is drawn with.
const SpriteSize = 4

// MaxBatchQuads is the most quads drawn in one DrawTriangles call: indices
// are uint16, so 4·16384 = 65536 vertices is the limit.
const MaxBatchQuads = 16384

// Every quad is 4 vertices (top-left, top-right, bottom-left,
// bottom-right) and 6 indices.
var quadIndices = func() []uint16 {
	ix := make([]uint16, 0, 6*MaxBatchQuads)
	for q := 0; q < MaxBatchQuads; q++ {
		b := uint16(4 * q)
		ix = append(ix, b, b+1, b+2, b+1, b+3, b+2)
	}
	return ix
}()

// QuadIndices returns the index list for MaxBatchQuads quads; slice it to
// 6·n for a batch of n quads. Shared and read-only.
func QuadIndices() []uint16 { return quadIndices }

// RGBA is a straight-alpha colour, components 0..1.
type RGBA [4]float32

// ParseColor reads "#rrggbb" (as in the species data); anything else gives
// ok = false.
func ParseColor(s string) (c RGBA, ok bool) {
	if len(s) != 7 || s[0] != '#' {
		return RGBA{}, false
	}
	var v [3]int
	for i := 0; i < 3; i++ {
		hi, ok1 := hexDigit(s[1+2*i])
		lo, ok2 := hexDigit(s[2+2*i])
		if !ok1 || !ok2 {
			return RGBA{}, false
		}
		v[i] = hi<<4 | lo
	}
	return RGBA{float32(v[0]) / 255, float32(v[1]) / 255, float32(v[2]) / 255, 1}, true
}

func hexDigit(b byte) (int, bool) {
	switch {
	case b >= '0' && b <= '9':
		return int(b - '0'), true
	case b >= 'a' && b <= 'f':
		return int(b-'a') + 10, true
	case b >= 'A' && b <= 'F':
		return int(b-'A') + 10, true
	}
	return 0, false
}

// putQuad moves an axis-aligned square of half-edge h to centre (x, y).
// Only positions are written: texture corners and colours are set once per
// layout by initQuad.
func putQuad(v []Vertex, x, y, h float32) {
	_ = v[3]
	x0, x1, y0, y1 := x-h, x+h, y-h, y+h
	v[0].DstX, v[0].DstY = x0, y0
	v[1].DstX, v[1].DstY = x1, y0
	v[2].DstX, v[2].DstY = x0, y1
	v[3].DstX, v[3].DstY = x1, y1
}

// initQuad sets the texture corners and colour of a quad.
func initQuad(v []Vertex, c RGBA) {
	src := [4][2]float32{{0, 0}, {SpriteSize, 0}, {0, SpriteSize}, {SpriteSize, SpriteSize}}
	for k := range 4 {
		v[k] = Vertex{SrcX: src[k][0], SrcY: src[k][1], ColorR: c[0], ColorG: c[1], ColorB: c[2], ColorA: c[3]}
	}
}

// putCorners writes a quad with arbitrary corners, in the order
// top-left, top-right, bottom-left, bottom-right of the quad's own frame.
func putCorners(v []Vertex, p [4]Point, c RGBA) {
	src := [4][2]float32{{0, 0}, {SpriteSize, 0}, {0, SpriteSize}, {SpriteSize, SpriteSize}}
	for k := range p {
		v[k] = Vertex{DstX: p[k].X, DstY: p[k].Y, SrcX: src[k][0], SrcY: src[k][1],
			ColorR: c[0], ColorG: c[1], ColorB: c[2], ColorA: c[3]}
	}
}
