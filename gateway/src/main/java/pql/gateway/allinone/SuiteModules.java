package pql.gateway.allinone;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.Channel;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.time.Clock;
import pql.common.ServiceModule;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;

/**
 * The real services, built through the constructors every service module publishes:
 * {@code new IngestModule(IngestSettings, EventStore, Telemetry, Clock)},
 * {@code new ScoringModule(ScoringSettings, EventStore, Telemetry, Clock)},
 * {@code new ForecastModule(ForecastSettings, Channel scoringChannel, Telemetry, Clock)}.
 *
 * <p>They are looked up by name at start rather than compiled against, so the gateway builds
 * (and its own tests run) whatever state the services are in; the services are runtime
 * dependencies of this module. Each {@code <X>Settings} is bound from the YAML section of the
 * same name and validated, exactly like a Dropwizard configuration section.
 */
public final class SuiteModules implements SuiteFactory {

    static final String INGEST = "pql.ingest.IngestModule";
    static final String SCORING = "pql.scoring.ScoringModule";
    static final String FORECAST = "pql.forecast.ForecastModule";

    /** True when all three services are on the classpath. */
    public static boolean available() {
        for (String name : new String[] {INGEST, SCORING, FORECAST}) {
            try {
                Class.forName(name, false, SuiteModules.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ServiceModule ingest(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry, Clock clock) {
        return construct(INGEST, "ingest", config.getIngest(), settings, EventStore.class, store, telemetry, clock);
    }

    @Override
    public ServiceModule scoring(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry, Clock clock) {
        return construct(SCORING, "scoring", config.getScoring(), settings, EventStore.class, store, telemetry, clock);
    }

    @Override
    public ServiceModule forecast(AllInOneConfig config, SettingsBinder settings, Channel scoringChannel, Telemetry telemetry, Clock clock) {
        return construct(FORECAST, "forecast", config.getForecast(), settings, Channel.class, scoringChannel, telemetry, clock);
    }

    private static ServiceModule construct(String className, String section, JsonNode sectionYaml, SettingsBinder binder,
            Class<?> sourceType, Object source, Telemetry telemetry, Clock clock) {
        Class<?> type;
        try {
            type = Class.forName(className, true, SuiteModules.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("the all-in-one needs the " + section + " service (" + className
                    + ") on its classpath: build the project with ./mvnw -q -B -DskipTests install", e);
        }
        Constructor<?> constructor = null;
        for (Constructor<?> candidate : type.getConstructors()) {
            Class<?>[] parameters = candidate.getParameterTypes();
            if (parameters.length == 4 && parameters[1].isAssignableFrom(sourceType) && parameters[2] == Telemetry.class
                    && parameters[3] == Clock.class) {
                constructor = candidate;
            }
        }
        if (constructor == null) {
            throw new IllegalStateException(className + " has no public constructor (" + section + " settings, "
                    + sourceType.getSimpleName() + ", Telemetry, Clock)");
        }
        Object settings = binder.bind(sectionYaml, constructor.getParameterTypes()[0], section);
        try {
            return (ServiceModule) constructor.newInstance(settings, source, telemetry, clock);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("the " + section + " service did not start", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build the " + section + " service", e);
        }
    }
}
