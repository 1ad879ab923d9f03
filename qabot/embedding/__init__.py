"""Turning texts into vectors: the bundled model, its fast ONNX export for questions, and embedding a build on Ray."""
