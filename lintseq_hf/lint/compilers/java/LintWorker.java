// LintSeq verdicts for Java: one long-lived JVM compiling program states in memory with javac
// (docs/languages.md). Compiled at first use by lintseq_hf.lint.compilers.javac into a cache folder.
// Protocol (stdin/stdout, UTF-8): a request is a header line "<file name> <byte count>" followed by
// that many bytes of source; the reply is one line per error "<line>\t<column>\t<code>\t<message>"
// (1-based line, 0 when javac gives none; tabs and newlines in messages become spaces), then "END".
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

public final class LintWorker {
    private static final List<String> OPTIONS = Arrays.asList(
        "-proc:none", "-implicit:none", "-nowarn", "-Xlint:none", "-Xmaxerrs", "100000",
        "-XDshould-stop.ifNoError=FLOW", "-encoding", "UTF-8");

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String name, String text) {
            super(URI.create("string:///" + name), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }

    private static final class Discarded extends SimpleJavaFileObject {
        Discarded(String name, Kind kind) {
            super(URI.create("discarded:///" + name.replace('.', '/') + kind.extension), kind);
        }

        @Override
        public OutputStream openOutputStream() {
            return OutputStream.nullOutputStream();
        }
    }

    private static final class NoOutput extends ForwardingJavaFileManager<JavaFileManager> {
        NoOutput(JavaFileManager inner) {
            super(inner);
        }

        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String name, JavaFileObject.Kind kind, FileObject sibling) {
            return new Discarded(name, kind);
        }

        @Override
        public FileObject getFileForOutput(Location location, String pkg, String name, FileObject sibling) {
            return new Discarded(pkg + "." + name, JavaFileObject.Kind.OTHER);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            buffer.write(c);
        }
        if (c == -1 && buffer.size() == 0) {
            return null;
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    private static String clean(String message) {
        return message.replace('\t', ' ').replace('\r', ' ').replace('\n', ' ');
    }

    public static void main(String[] args) throws IOException {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StandardJavaFileManager standard = compiler.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
        JavaFileManager files = new NoOutput(standard);
        InputStream in = new BufferedInputStream(System.in);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        String header;
        while ((header = readLine(in)) != null) {
            int space = header.lastIndexOf(' ');
            String name = header.substring(0, space);
            int size = Integer.parseInt(header.substring(space + 1));
            byte[] body = in.readNBytes(size);
            String text = new String(body, StandardCharsets.UTF_8);
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            List<JavaFileObject> units = new ArrayList<>();
            units.add(new Source(name, text));
            try {
                compiler.getTask(null, files, diagnostics, OPTIONS, null, units).call();
            } catch (RuntimeException | StackOverflowError crash) {
                out.println("0\t0\tworker-crash\t" + clean(String.valueOf(crash)));
            }
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() != Diagnostic.Kind.ERROR) {
                    continue;
                }
                long line = d.getLineNumber();
                long column = d.getColumnNumber();
                out.println(Math.max(line, 0) + "\t" + Math.max(column - 1, 0) + "\t" + d.getCode() + "\t" + clean(d.getMessage(Locale.ROOT)));
            }
            out.println("END");
            out.flush();
        }
    }
}
