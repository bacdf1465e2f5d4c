package io.barsbackfill.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads deployment files as data: Kubernetes manifests (several documents) and CloudFormation templates, whose short
 * tags ({@code !Sub}, {@code !GetAtt}, {@code !Ref}, ...) become their long form ({@code {"Fn::Sub": ...}}), so
 * tests can follow references.
 */
final class Manifests {

    /** The project root: tests run in the deploy module's folder. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    static final List<String> FUNCTIONS = List.of("orchestrator", "fetch-bars", "fetch-bars-batch");

    private Manifests() {}

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(new CloudFormationTags()).loadAll(reader)) {
                if (doc != null) {
                    docs.add((Map<String, Object>) doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /**
     * The value at a dotted path of maps ({@code spec.template.spec}), list items by index ({@code containers.0});
     * null where a map lacks a key on the way.
     */
    @SuppressWarnings("unchecked")
    static <T> T at(Object root, String path) {
        Object node = root;
        for (String key : path.split("\\.")) {
            if (node == null) {
                return null;
            }
            if (node instanceof Map<?, ?> map) {
                node = map.get(key);
            } else if (node instanceof List<?> list) {
                node = list.get(Integer.parseInt(key));
            } else {
                throw new AssertionError("no " + path + ": stopped at " + key + " in " + root);
            }
        }
        return (T) node;
    }

    private static final class CloudFormationTags extends SafeConstructor {
        CloudFormationTags() {
            super(new LoaderOptions());
            yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue();
                    if (!tag.startsWith("!")) {
                        throw new IllegalArgumentException("unknown YAML tag " + tag);
                    }
                    String name = tag.substring(1);
                    String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = scalar.getValue();
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    return Map.of(key, value);
                }
            });
        }
    }
}
