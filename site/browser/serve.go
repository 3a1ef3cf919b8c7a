//go:build !js

package browser

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
)

// Serve serves the files of dir over http on 127.0.0.1 at a free port and
// returns the base URL, without a trailing slash ("http://127.0.0.1:PORT"),
// and a func that stops the server. Responses are not cached, and
// /x/index.html is served as it is instead of being redirected to /x/.
func Serve(dir string) (baseURL string, stop func()) {
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		if strings.HasSuffix(r.URL.Path, "/index.html") {
			// http.FileServer redirects .../index.html to .../ and serves
			// the index for the directory, so ask for the directory.
			r2 := r.Clone(r.Context())
			r2.URL.Path = strings.TrimSuffix(r.URL.Path, "index.html")
			r2.URL.RawPath = ""
			r = r2
		}
		files.ServeHTTP(w, r)
	}))
	return srv.URL, srv.Close
}

// FileURL returns the file:// URL of page, a slash-separated path relative
// to dir, with dir made absolute and the path escaped. An empty page gives
// the URL of dir itself with a trailing slash, to use as a prefix.
func FileURL(dir, page string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = filepath.Clean(dir)
	}
	p := filepath.ToSlash(filepath.Join(abs, filepath.FromSlash(page)))
	if page == "" || strings.HasSuffix(page, "/") {
		p = strings.TrimSuffix(p, "/") + "/"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows path such as C:/x
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
