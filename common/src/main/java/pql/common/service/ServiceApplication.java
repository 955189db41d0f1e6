package pql.common.service;

import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import pql.common.admin.AdminAccess;
import pql.common.admin.AdminAuthFilter;
import pql.common.admin.PrometheusServlet;
import pql.common.logging.LogSafety;
import pql.common.telemetry.Telemetry;

/**
 * The Dropwizard application every PQL process extends (each service, the gateway, the
 * all-in-one): configuration with {@code ${ENV_VAR:-default}} substitution, the process's
 * telemetry, and one {@link ServiceLifecycle} that owns the start and shutdown order. A subclass
 * only declares its parts in {@link #wire}: the resources it opens, the modules it runs, the
 * servers it serves.
 */
public abstract class ServiceApplication<C extends ServiceConfiguration> extends Application<C> {

    @Override
    public void initialize(Bootstrap<C> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
                bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
    }

    @Override
    public final void run(C config, Environment environment) throws Exception {
        // Before anything can log a request or open the admin port: no appender prints a key,
        // and the admin port (tasks, threads, metrics) needs an admin key.
        LogSafety.install();
        AdminAuthFilter.install(environment, AdminAccess.ofSha256Hex(config.getAdminAuth().getApiKeySha256()));
        environment.admin().addServlet("prometheus", new PrometheusServlet(environment.metrics())).addMapping("/prometheus");
        ServiceLifecycle lifecycle = new ServiceLifecycle(openTelemetry(config), environment.metrics());
        environment.lifecycle().manage(lifecycle);
        wire(config, environment, lifecycle);
    }

    /**
     * The app's wiring list: open resources through {@code lifecycle.opened}, build the module,
     * hand it and its server to {@code lifecycle.serve}, register health checks and metrics.
     */
    protected abstract void wire(C config, Environment environment, ServiceLifecycle lifecycle) throws Exception;

    /** The process's telemetry, named after the application; a test may watch it instead. */
    protected Telemetry openTelemetry(C config) {
        return Telemetry.create(getName(), config.getTelemetry());
    }
}
