package pql.allinone.support;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Debian's headless Chromium, run once per page: the DOM after the page's scripts ran, and a
 * screenshot. Missing Chromium is a failure, not a skip: CI installs it (apt-get install chromium).
 */
public final class Chromium {

    public static final Path BINARY = Path.of(System.getenv().getOrDefault("PQL_CHROMIUM", "/usr/bin/chromium"));

    private Chromium() {
    }

    /** A desktop window, as before the layout had to work on phones. */
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 900;

    public static String dumpDom(String url, Path workDirectory) throws Exception {
        return dumpDom(url, workDirectory, WIDTH, HEIGHT);
    }

    /** The DOM in a window {@code width} CSS pixels wide (390: a phone). */
    public static String dumpDom(String url, Path workDirectory, int width, int height) throws Exception {
        return run(workDirectory, "--dump-dom", url, width, height);
    }

    public static void screenshot(String url, Path png, Path workDirectory) throws Exception {
        screenshot(url, png, workDirectory, WIDTH, HEIGHT);
    }

    public static void screenshot(String url, Path png, Path workDirectory, int width, int height) throws Exception {
        run(workDirectory, "--screenshot=" + png.toAbsolutePath(), url, width, height);
        if (!Files.exists(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png);
        }
    }

    private static String run(Path workDirectory, String mode, String url, int width, int height) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError("Chromium is missing at " + BINARY + ": install it with 'apt-get install -y chromium'");
        }
        Path profile = Files.createTempDirectory(workDirectory, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + profile,
                "--virtual-time-budget=10000", "--window-size=" + width + "," + height, mode, url));
        Path stdout = workDirectory.resolve("chromium-" + System.nanoTime() + ".out");
        Path stderr = workDirectory.resolve("chromium-" + System.nanoTime() + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 90 s");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError("chromium exited with " + process.exitValue() + ": " + Files.readString(stderr));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    /** Standard deviation of the pixels' brightness: about 0 for a blank page. */
    public static double brightnessDeviation(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        double sum = 0;
        double squares = 0;
        long count = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                double brightness = ((rgb >> 16 & 0xff) * 0.299 + (rgb >> 8 & 0xff) * 0.587 + (rgb & 0xff) * 0.114);
                sum += brightness;
                squares += brightness * brightness;
                count++;
            }
        }
        double mean = sum / count;
        return Math.sqrt(Math.max(0, squares / count - mean * mean));
    }

    /** Pixels whose colour is the dashboard's PQL orange (#e8590c), give or take. */
    public static long orangePixels(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = rgb >> 16 & 0xff;
                int g = rgb >> 8 & 0xff;
                int b = rgb & 0xff;
                if (Math.abs(r - 0xe8) < 25 && Math.abs(g - 0x59) < 30 && Math.abs(b - 0x0c) < 30) {
                    count++;
                }
            }
        }
        return count;
    }
}
