package pql.systemtests.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.core.Application;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import pql.systemtests.RepoFiles;

/**
 * docker/Dockerfile (no engine here to build it): the build stage runs the repository's Maven
 * wrapper, every service image runs its Dropwizard application as a non-root user with its
 * config at /etc/pql/config.yml and a health check, and the main classes it names exist.
 */
class DockerfileTest {

    @Test
    void theBuildStageBuildsWithTheMavenWrapperAndCollectsEachRuntimeClasspath() throws Exception {
        Dockerfile dockerfile = Dockerfile.read(RepoFiles.file("docker/Dockerfile"));
        Dockerfile.Stage build = dockerfile.stage("build");
        assertThat(build.base()).isEqualTo("${JDK_IMAGE}");
        assertThat(build.all("RUN")).anySatisfy(run -> assertThat(run)
                .contains("./mvnw -B", "-DskipTests", "-pl ingest-service,scoring-service,forecast-service,gateway -am",
                        "package dependency:copy-dependencies", "-DincludeScope=runtime")
                .contains("docker/config/${module%-service}.yml"));
        assertThat(Files.isExecutable(RepoFiles.file("mvnw"))).isTrue();
        assertThat(Files.readString(RepoFiles.file("docker/Dockerfile.dockerignore"))).contains("**/target");
    }

    @Test
    void servicesRunAsANonRootUser() throws Exception {
        Dockerfile.Stage runtime = Dockerfile.read(RepoFiles.file("docker/Dockerfile")).stage("runtime");
        assertThat(runtime.all("USER")).containsExactly("pql");
        assertThat(runtime.all("RUN")).anySatisfy(run -> assertThat(run).contains("useradd --system --uid 10001"));
        assertThat(runtime.all("ENTRYPOINT")).singleElement().asString()
                .contains("exec java $JAVA_OPTS -cp '/opt/pql/lib/*' \\\"$PQL_MAIN_CLASS\\\" server /etc/pql/config.yml");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest", "scoring", "forecast", "gateway"})
    void eachServiceImageRunsADropwizardApplicationWithAHealthCheck(String target) throws Exception {
        Dockerfile dockerfile = Dockerfile.read(RepoFiles.file("docker/Dockerfile"));
        List<Dockerfile.Stage> lineage = dockerfile.lineage(target);
        assertThat(lineage).extracting(Dockerfile.Stage::name).containsExactly(target, "runtime");
        Dockerfile.Stage stage = lineage.get(0);
        assertThat(stage.all("HEALTHCHECK")).hasSize(1);
        assertThat(stage.all("COPY")).anySatisfy(copy -> assertThat(copy).startsWith("--from=build").endsWith("/opt/pql/lib/"));

        Class<?> main = Class.forName(stage.env().get("PQL_MAIN_CLASS"));
        assertThat(Application.class).isAssignableFrom(main);
        Method entry = main.getMethod("main", String[].class);
        assertThat(Modifier.isStatic(entry.getModifiers())).isTrue();

        assertThat(Files.readString(RepoFiles.file("docker/build-images.sh"))).contains("for service in ingest scoring forecast gateway");
    }
}
