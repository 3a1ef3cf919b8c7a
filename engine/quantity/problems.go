package quantity

import (
	"errors"
	"strings"
)

// Problems collects every problem found while reading a data file, so one
// run reports all of them rather than the first.
type Problems struct {
	File string
	list []string
}

// Add records a problem; nil errors are ignored.
func (p *Problems) Add(err error) {
	if err != nil {
		p.list = append(p.list, err.Error())
	}
}

// Addf records a problem message.
func (p *Problems) Addf(msg string) { p.list = append(p.list, msg) }

// Err returns nil when there were no problems, else one error listing them,
// each prefixed with the file name.
func (p *Problems) Err() error {
	if len(p.list) == 0 {
		return nil
	}
	lines := make([]string, len(p.list))
	for i, s := range p.list {
		lines[i] = p.File + ": " + s
	}
	return errors.New(strings.Join(lines, "\n"))
}
