package pql.allinone;

import io.grpc.Channel;
import java.time.Clock;
import pql.common.ServiceModule;
import pql.common.telemetry.Telemetry;
import pql.eventstore.EventStore;

/** Builds the three services of the all-in-one from their sections of the config. */
public interface SuiteFactory {

    /** How a service section of the YAML becomes its settings object (validated). */
    interface SettingsBinder {
        <T> T bind(com.fasterxml.jackson.databind.JsonNode section, Class<T> type, String sectionName);
    }

    ServiceModule ingest(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry, Clock clock);

    ServiceModule scoring(AllInOneConfig config, SettingsBinder settings, EventStore store, Telemetry telemetry, Clock clock);

    /** @param scoringChannel the forecast service reads scores over gRPC, in-process here */
    ServiceModule forecast(AllInOneConfig config, SettingsBinder settings, Channel scoringChannel, Telemetry telemetry, Clock clock);
}
