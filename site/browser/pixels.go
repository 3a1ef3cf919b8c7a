package browser

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
)

// backgroundTolerance is how far, in 8-bit units, each channel (R, G, B and
// A) of a pixel may be from the background colour for the pixel to still
// count as background. It absorbs dithering and rounding, not real drawing.
const backgroundTolerance = 16

// NonBackgroundShare decodes a PNG screenshot and returns the share, from 0
// to 1, of the pixels in rect (clipped to the image) that are not
// background. The background colour is the most frequent colour in rect; a
// pixel is background when none of its R, G, B and A channels differs from
// it by more than 16 of 255. A blank canvas gives 0.
func NonBackgroundShare(pngData []byte, rect image.Rectangle) (float64, error) {
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		return 0, fmt.Errorf("decode screenshot: %w", err)
	}
	r := rect.Intersect(img.Bounds())
	if r.Empty() {
		return 0, fmt.Errorf("rect %v is outside the screenshot %v", rect, img.Bounds())
	}
	px := make([][4]uint8, 0, r.Dx()*r.Dy())
	counts := make(map[[4]uint8]int)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, ca := img.At(x, y).RGBA()
			c := [4]uint8{uint8(cr >> 8), uint8(cg >> 8), uint8(cb >> 8), uint8(ca >> 8)}
			px = append(px, c)
			counts[c]++
		}
	}
	var bg [4]uint8
	best := 0
	for c, n := range counts {
		// Break ties by colour, so that the result does not depend on
		// the order of the map.
		if n > best || n == best && less(c, bg) {
			bg, best = c, n
		}
	}
	differ := 0
	for _, c := range px {
		for i := range c {
			if d := int(c[i]) - int(bg[i]); d > backgroundTolerance || d < -backgroundTolerance {
				differ++
				break
			}
		}
	}
	return float64(differ) / float64(len(px)), nil
}

func less(a, b [4]uint8) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
