// Command serve serves a built ExoSep site on the loopback interface.
//
//	go run ./site/cmd/serve -dir dist -port 8080
//
// The port defaults to $PORT, else 8080. It prints the http address and the
// file:// address of the same site (the site works both ways).
package main

import (
	"errors"
	"flag"
	"fmt"
	"mime"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// types are set explicitly: the system's MIME table may lack .wasm or map
// .js to an old type.
var types = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".json": "application/json",
	".wasm": "application/wasm",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".txt":  "text/plain; charset=utf-8",
}

func defaultPort() int {
	if p, err := strconv.Atoi(os.Getenv("PORT")); err == nil && p > 0 && p < 65536 {
		return p
	}
	return 8080
}

func main() {
	dir := flag.String("dir", "dist", "directory to serve")
	port := flag.Int("port", defaultPort(), "port on 127.0.0.1 (default $PORT, else 8080)")
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "serve: %v\n", err)
		os.Exit(2)
	}
	if _, err := os.Stat(filepath.Join(abs, "index.html")); err != nil {
		fmt.Fprintf(os.Stderr, "serve: %s has no index.html; build the site first:\n  go run ./site/cmd/build -out %s\n", abs, *dir)
		os.Exit(2)
	}
	for ext, t := range types {
		if err := mime.AddExtensionType(ext, t); err != nil {
			fmt.Fprintf(os.Stderr, "serve: %v\n", err)
			os.Exit(1)
		}
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		fmt.Fprintf(os.Stderr, "serve: %v\n", err)
		os.Exit(1)
	}
	fmt.Printf("ExoSep is running at http://127.0.0.1:%d/\n", ln.Addr().(*net.TCPAddr).Port)
	fmt.Printf("Offline: open file://%s\n", filepath.ToSlash(filepath.Join(abs, "index.html")))
	srv := &http.Server{Handler: handler(abs), ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(os.Stderr, "serve: %v\n", err)
		os.Exit(1)
	}
}

// handler serves dir with explicit content types and no caching, so a
// rebuilt site shows at once.
func handler(dir string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if t, ok := types[filepath.Ext(r.URL.Path)]; ok {
			w.Header().Set("Content-Type", t)
		}
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}
