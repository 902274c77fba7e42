"""The package version and the paper it implements, in a module of its own so that every stage can read them
without a cycle (the dataset builder's info, the dataset and model cards)."""

__version__ = "0.1.0"

PAPER_URL = "https://arxiv.org/abs/2410.02749"
CITATION = """@inproceedings{piterbarg2025lintseq,
  title     = {Training Language Models on Synthetic Edit Sequences Improves Code Synthesis},
  author    = {Piterbarg, Ulyana and Pinto, Lerrel and Fergus, Rob},
  booktitle = {International Conference on Learning Representations (ICLR)},
  year      = {2025},
  url       = {https://arxiv.org/abs/2410.02749}
}"""
