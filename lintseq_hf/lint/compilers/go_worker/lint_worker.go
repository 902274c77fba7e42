// LintSeq verdicts for Go: one long-lived process type-checking program states with the Go
// toolchain's own parser and type checker (go/parser, go/types; docs/languages.md). Built at
// first use by lintseq_hf.lint.compilers.go into a cache folder.
// Protocol (stdin/stdout, UTF-8): a request is a header line "<file name> <byte count>" followed
// by that many bytes of source; the reply is one line per counted error
// "<line>\t<column>\t<code>\t<message>" (1-based line, 0 when there is none; tabs and newlines in
// messages become spaces), then "END". Codes: "syntax" (the parser's errors, the first of each
// line, at most ten, as the gc compiler reports them) and "type" (the type checker's errors but
// its soft ones: unused variables and imports). Imports are read from the installed standard
// library's export data; a package that cannot be imported is one "type" error at its import.
package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io"
	"os"
	"strconv"
	"strings"
)

type failure struct {
	line, column int
	code, message string
}

func clean(message string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(message)
}

func check(fset *token.FileSet, imports types.Importer, name string, source []byte) (found []failure) {
	defer func() {
		if crash := recover(); crash != nil {
			found = []failure{{0, 0, "worker-crash", clean(fmt.Sprint(crash))}}
		}
	}()
	file, err := parser.ParseFile(fset, name, source, 0)
	if err != nil {
		if list, ok := err.(scanner.ErrorList); ok {
			for _, e := range list {
				found = append(found, failure{e.Pos.Line, e.Pos.Column - 1, "syntax", clean(e.Msg)})
			}
			return found
		}
		return []failure{{0, 0, "syntax", clean(err.Error())}}
	}
	config := types.Config{
		Importer: imports,
		Error: func(err error) {
			e, ok := err.(types.Error)
			if !ok {
				found = append(found, failure{0, 0, "type", clean(err.Error())})
				return
			}
			if e.Soft {
				return
			}
			position := e.Fset.Position(e.Pos)
			column := position.Column - 1
			if column < 0 {
				column = 0
			}
			found = append(found, failure{position.Line, column, "type", clean(e.Msg)})
		},
	}
	config.Check(file.Name.Name, fset, []*ast.File{file}, nil)
	return found
}

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<16)
	out := bufio.NewWriter(os.Stdout)
	imports := importer.ForCompiler(token.NewFileSet(), "gc", nil)
	for {
		header, err := in.ReadString('\n')
		if err != nil {
			return
		}
		fields := strings.Fields(header)
		if len(fields) != 2 {
			return
		}
		size, err := strconv.Atoi(fields[1])
		if err != nil || size < 0 {
			return
		}
		source := make([]byte, size)
		if _, err := io.ReadFull(in, source); err != nil {
			return
		}
		for _, f := range check(token.NewFileSet(), imports, fields[0], source) {
			fmt.Fprintf(out, "%d\t%d\t%s\t%s\n", f.line, f.column, f.code, f.message)
		}
		fmt.Fprint(out, "END\n")
		out.Flush()
	}
}
