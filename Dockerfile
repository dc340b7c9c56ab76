# One image for every process of a district or city deployment; the command picks the process:
#   microfactory api | worker | relay | dashboard | migrate | simulate | reconcile | schemas export DIR
FROM python:3.11-slim

# The CJK font: Chinese in PDF pay slips and charts renders as empty boxes without it.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

# PYTHONPATH=/app: import the code from /app rather than site-packages, so the dashboard's pages,
# the migrations and every data file sit where usecases.settings.ROOT says they are.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

RUN useradd --create-home --uid 10001 microfactory
WORKDIR /app
COPY . .
RUN pip install . \
 && install -m 755 scripts/container-entrypoint.sh /usr/local/bin/microfactory-entrypoint \
 && mkdir -p var \
 && chown -R microfactory:microfactory /app

# faust keeps its data directory under the working directory, streamlit its state under $HOME.
USER microfactory
EXPOSE 8000 8501
ENTRYPOINT ["/usr/local/bin/microfactory-entrypoint"]
CMD ["microfactory", "api"]
