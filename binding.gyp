{
  "targets": [
    {
      "target_name": "evbench_native",
      "sources": [
        "<!@(node -p \"require('fs').readdirSync('native/core').filter(f=>f.endsWith('.cc')).map(f=>'native/core/'+f).join(' ')\")",
        "<!@(node -p \"require('fs').readdirSync('native/addon').filter(f=>f.endsWith('.cc')).map(f=>'native/addon/'+f).join(' ')\")"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native/core"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_CPP_EXCEPTIONS",
        "<!@(node -e \"try{require('child_process').execSync('pkg-config --atleast-version=3 openssl',{stdio:'ignore'});console.log('EVB_HAVE_TLS=1')}catch(e){}\")",
        "<!@(node -e \"try{require('child_process').execSync('pkg-config --exists libnghttp2',{stdio:'ignore'});console.log('EVB_HAVE_NGHTTP2=1')}catch(e){}\")"
      ],
      "libraries": [
        "<!@(node -e \"try{process.stdout.write(require('child_process').execSync('pkg-config --atleast-version=3 openssl && pkg-config --libs openssl',{stdio:['ignore','pipe','ignore'],shell:'/bin/sh'}).toString())}catch(e){}\")",
        "<!@(node -e \"try{process.stdout.write(require('child_process').execSync('pkg-config --libs libnghttp2',{stdio:['ignore','pipe','ignore']}).toString())}catch(e){}\")"
      ],
      "cflags_cc": ["-std=c++17", "-O2", "-fexceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "xcode_settings": {
        "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "MACOSX_DEPLOYMENT_TARGET": "10.15"
      }
    }
  ]
}
