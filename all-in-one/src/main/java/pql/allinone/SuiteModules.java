package pql.allinone;

import io.grpc.Channel;
import java.time.Clock;
import pql.common.ServiceModule;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;
import pql.forecast.ForecastModule;
import pql.forecast.ForecastSettings;
import pql.ingest.IngestModule;
import pql.ingest.IngestSettings;
import pql.scoring.ScoringModule;
import pql.scoring.ScoringSettings;

/**
 * The real services, built through the constructors every service module publishes. Each
 * {@code <X>Settings} is bound from the YAML section of the same name and validated, exactly like
 * a Dropwizard configuration section, so the all-in-one and the standalone services read the
 * same settings.
 */
public final class SuiteModules implements SuiteFactory {

    @Override
    public ServiceModule ingest(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry, Clock clock) {
        return new IngestModule(settings.bind(config.getIngest(), IngestSettings.class, "ingest"), store, telemetry, clock);
    }

    @Override
    public ServiceModule scoring(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry, Clock clock) {
        return new ScoringModule(settings.bind(config.getScoring(), ScoringSettings.class, "scoring"), store, telemetry, clock);
    }

    @Override
    public ServiceModule forecast(AllInOneConfig config, SettingsBinder settings, Channel scoringChannel, Telemetry telemetry, Clock clock) {
        return new ForecastModule(settings.bind(config.getForecast(), ForecastSettings.class, "forecast"), scoringChannel,
                telemetry, clock);
    }
}
