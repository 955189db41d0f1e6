package pql.common.admin;

import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.LoggerFactory;
import pql.common.logging.RateLimitedLog;

/**
 * Guards the admin port: everything but the probes ({@code /ping}, {@code /healthcheck}) needs an
 * API key the process's {@link AdminAccess} allows, sent as {@code X-Api-Key: <key>} or
 * {@code Authorization: Bearer <key>}. Tasks can raise log levels and thread dumps and metrics
 * describe the process, so a local user without a key gets 401 (403 for a key without the admin
 * scope).
 */
public final class AdminAuthFilter implements Filter {

    /** Container probes (the images' HEALTHCHECK) have no key; these two reveal only up/down. */
    private static final Set<String> OPEN_PATHS = Set.of("/ping", "/healthcheck");
    private static final int MAX_KEY_LENGTH = 256;
    private static final RateLimitedLog REFUSALS =
            new RateLimitedLog(LoggerFactory.getLogger(AdminAuthFilter.class), Duration.ofSeconds(10));

    private volatile AdminAccess access;

    private AdminAuthFilter(AdminAccess access) {
        this.access = access;
    }

    /** Puts the filter in front of every admin path; {@link #of} finds it again. */
    public static AdminAuthFilter install(Environment environment, AdminAccess access) {
        AdminAuthFilter filter = new AdminAuthFilter(access);
        environment.admin().addFilter("pql-admin-auth", filter)
                .addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
        environment.getAdminContext().setAttribute(AdminAuthFilter.class.getName(), filter);
        return filter;
    }

    /**
     * The filter {@link #install} put on this environment's admin port; installed (letting
     * nobody in) when the environment was not made by {@code ServiceApplication}.
     */
    public static AdminAuthFilter of(Environment environment) {
        Object filter = environment.getAdminContext().getAttribute(AdminAuthFilter.class.getName());
        return filter instanceof AdminAuthFilter installed ? installed : install(environment, AdminAccess.NOBODY);
    }

    /** Also let in the keys {@code more} allows (the gateway's keys with the admin scope). */
    public void alsoAllow(AdminAccess more) {
        access = access.or(more);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse reply = (HttpServletResponse) response;
        String path = http.getPathInfo() != null ? http.getServletPath() + http.getPathInfo() : http.getServletPath();
        if (path == null || path.isEmpty()) {
            path = http.getRequestURI();
        }
        if (OPEN_PATHS.contains(path)) {
            chain.doFilter(request, response);
            return;
        }
        String key = presentedKey(http.getHeader("Authorization"), http.getHeader("X-Api-Key"));
        if (key == null || key.length() > MAX_KEY_LENGTH) {
            refuse(reply, HttpServletResponse.SC_UNAUTHORIZED, "the admin port needs an API key with the admin scope (X-Api-Key or Authorization: Bearer)");
            REFUSALS.warn("admin-no-key", "admin port: refused " + http.getMethod() + " " + path + " without a usable key");
            return;
        }
        switch (access.decide(key)) {
            case ALLOWED -> chain.doFilter(request, response);
            case NOT_ADMIN -> {
                refuse(reply, HttpServletResponse.SC_FORBIDDEN, "this API key lacks the admin scope");
                REFUSALS.warn("admin-not-admin", "admin port: refused " + http.getMethod() + " " + path + " for a key without the admin scope");
            }
            case UNKNOWN_KEY -> {
                refuse(reply, HttpServletResponse.SC_UNAUTHORIZED, "unknown API key");
                REFUSALS.warn("admin-unknown-key", "admin port: refused " + http.getMethod() + " " + path + " for an unknown key");
            }
        }
    }

    private static void refuse(HttpServletResponse reply, int status, String message) throws IOException {
        reply.setStatus(status);
        reply.setContentType("text/plain;charset=utf-8");
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            reply.setHeader("WWW-Authenticate", "Bearer");
        }
        reply.getWriter().println(message);
    }

    static String presentedKey(String authorization, String xApiKey) {
        if (authorization != null) {
            String value = authorization.trim();
            if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                String key = value.substring(7).trim();
                if (!key.isEmpty()) {
                    return key;
                }
            }
        }
        return xApiKey == null || xApiKey.isBlank() ? null : xApiKey.trim();
    }
}
