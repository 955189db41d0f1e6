package pql.gateway.http;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;

/**
 * The dashboard's static files, from the classpath (plain HTML, JS and CSS: nothing to build,
 * nothing fetched from elsewhere). The page itself is public; its data needs a key.
 */
@Path("/")
// the page's own script reads ?key= (and moves it out of the address bar); the files take no parameters
@AnyQueryParameters
public final class DashboardResource {

    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "spectrum.js", "text/javascript; charset=utf-8",
            "leads.js", "text/javascript; charset=utf-8",
            "forecast-history.js", "text/javascript; charset=utf-8",
            "account.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    /** Only our own files, and scripts only from here: no inline script, no third party. */
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

    private final Map<String, byte[]> contents;

    public DashboardResource() {
        this.contents = FILES.keySet().stream().collect(java.util.stream.Collectors.toMap(name -> name, DashboardResource::load));
    }

    @GET
    public Response root() {
        return Response.seeOther(URI.create("/dashboard/")).build();
    }

    /** {@code /dashboard} and {@code /dashboard/} alike; the page links its files absolutely. */
    @GET
    @Path("dashboard")
    public Response index() {
        return file("index.html");
    }

    @GET
    @Path("dashboard/{file}")
    public Response file(@PathParam("file") String file) {
        String type = FILES.get(file);
        if (type == null) {
            throw new NotFoundException();
        }
        return Response.ok(contents.get(file), type)
                .header("Cache-Control", "no-cache")
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .build();
    }

    private static byte[] load(String name) {
        try (InputStream in = DashboardResource.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard file missing from the classpath: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
