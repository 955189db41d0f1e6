package pql.systemtests.config;

import io.dropwizard.configuration.ConfigurationException;
import io.dropwizard.configuration.ConfigurationFactory;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.Configuration;
import io.dropwizard.core.setup.Bootstrap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads a config file the way a service's {@code server} command does: the application's own
 * bootstrap (object mapper, validator, configuration factory), Dropwizard's
 * {@link EnvironmentVariableSubstitutor} in its non-strict mode, and validation, but with an
 * environment given by the test instead of the process's.
 */
public final class DropwizardConfigs {

    private DropwizardConfigs() {
    }

    /**
     * @throws ConfigurationException when the file does not bind to the configuration class or
     *     does not validate
     */
    public static <C extends Configuration> C load(Application<C> app, Path file, Map<String, String> env)
            throws IOException, ConfigurationException {
        Bootstrap<C> bootstrap = new Bootstrap<>(app);
        app.initialize(bootstrap);
        if (!(bootstrap.getConfigurationSourceProvider() instanceof SubstitutingSourceProvider)) {
            throw new AssertionError(app.getClass().getSimpleName()
                    + " does not substitute environment variables in its configuration");
        }
        ConfigurationFactory<C> factory = bootstrap.getConfigurationFactoryFactory().create(
                app.getConfigurationClass(), bootstrap.getValidatorFactory().getValidator(),
                bootstrap.getObjectMapper(), "dw");
        return factory.build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor(env)),
                file.toString());
    }

    /** Dropwizard's substitutor (same syntax, defaults and strictness as the services'), reading {@code env}. */
    public static EnvironmentVariableSubstitutor substitutor(Map<String, String> env) {
        EnvironmentVariableSubstitutor substitutor = new EnvironmentVariableSubstitutor(false);
        substitutor.setVariableResolver(env::get);
        return substitutor;
    }
}
