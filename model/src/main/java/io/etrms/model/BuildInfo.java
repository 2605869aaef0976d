package io.etrms.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/**
 * The version of this build of ETRMS, written into {@code build.properties} by Maven: what
 * {@code -V} prints in every service and what {@code etrms_build_info} reports.
 */
public final class BuildInfo {

    private static final String VERSION = load();

    private BuildInfo() {
    }

    /** The project version, e.g. {@code 0.1.0}. */
    public static String version() {
        return VERSION;
    }

    private static String load() {
        Properties props = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the model jar");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props.getProperty("version");
    }

    /** {@code -V} / {@code --version} of every ETRMS command line: {@code <command> <version>}, Java and OS. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"${COMMAND-FULL-NAME} " + VERSION + " (ETRMS)",
                    "Java ${java.version} (${java.vendor}), ${os.name} ${os.arch}"};
        }
    }
}
