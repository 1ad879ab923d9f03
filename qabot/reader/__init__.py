"""The reader: a model that reads a question with a window of an article and
finds the few words that answer it, or says the window holds no answer.

- :mod:`.windows` cuts the window around a candidate sentence;
- :mod:`.tokens` turns a question and its windows into the model's input;
- :mod:`.spans` turns the model's scores into the best span and the
  no-answer score;
- :mod:`.model` runs the shipped ONNX model (trained by
  ``evals/train_reader.py``; no PyTorch at question time).

Only :mod:`.model` needs onnxruntime; the rest needs numpy and tokenizers,
so the training script uses the same windows, input and decoding.
"""
